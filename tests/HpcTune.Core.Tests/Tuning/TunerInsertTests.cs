using HpcTune.Journal;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tests.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Tests.Tuning;

public class TunerInsertTests
{
    private static StudyDefinition Study(int budget = 6) =>
        new("insert", [ParameterDefinition.Double("x", -2, 2), ParameterDefinition.Int("n", 0, 10), ParameterDefinition.Double("lr", 0.1, 1, step: 0.1),
            ParameterDefinition.Categorical("kernel", "rbf", "poly")],
            [new MetricDefinition("loss", MetricObjective.Minimize)], budget, 2, algorithm: new AlgorithmSpec("sobol", 1));

    private static Assignment Point(double x = 0.5, double n = 3, double lr = 0.3, string kernel = "rbf") =>
        new(["x", "n", "lr", "kernel"], [x, n, lr, kernel]);

    private static Assignment Without(string name) =>
        new([.. Point().Names.Where(n => n != name)], [.. Point().Where(p => p.Key != name).Select(p => p.Value)]);

    public static TheoryData<Assignment, string> Invalid => new()
    {
        { Point(x: 50), "parameter 'x': 50 is outside [-2, 2]" },
        { Point(n: 2.5), "parameter 'n': 2.5 is not on the grid 0 + k * 1" },
        { Point(lr: 0.35), "parameter 'lr': 0.35 is not on the grid 0.1 + k * 0.1" },
        { Point(kernel: "linear"), "parameter 'kernel': 'linear' is not one of {rbf, poly}" },
        { new Assignment(["x", "n", "lr", "kernel"], [0.5, "3", 0.3, "rbf"]), "parameter 'n' is numeric; got the string '3'" },
        { Without("lr"), "no value for parameter 'lr'" },
        { new Assignment([.. Point().Names, "momentum"], [.. Point().Values, 0.9]), "'momentum' is not a parameter of this space" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_assignment_outside_the_space_is_refused_naming_the_parameter_and_nothing_is_recorded(Assignment assignment, string problem)
    {
        var tuner = new Tuner(Study());
        var e = Assert.Throws<ArgumentException>(() => tuner.Insert(assignment));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Empty(tuner.Trials);
    }

    [Fact]
    public void An_assignment_a_trial_already_has_is_a_duplicate_unless_that_trial_was_deleted()
    {
        var tuner = new Tuner(Study());
        var suggested = tuner.Suggest("w").Trial!;
        var e = Assert.Throws<DuplicateTrialException>(() => tuner.Insert(suggested.Assignment));
        Assert.Equal(suggested.Id, e.ExistingTrialId);
        Assert.Contains($"trial {suggested.Id} (open) already has the assignment", e.Message, StringComparison.Ordinal);

        var inserted = tuner.Insert(Point(), new Dictionary<string, double> { ["loss"] = 1 });
        Assert.Equal(inserted.Id, Assert.Throws<DuplicateTrialException>(() => tuner.Insert(Point())).ExistingTrialId);

        tuner.Delete(suggested.Id);
        Assert.Equal(TrialState.Interrupted, tuner.Insert(suggested.Assignment).State);
    }

    [Fact]
    public void With_values_the_trial_is_a_completed_observation_checked_like_a_result()
    {
        var tuner = new Tuner(Study());
        Assert.Throws<ArgumentException>(() => tuner.Insert(Point(), new Dictionary<string, double> { ["accuracy"] = 1 }));
        Assert.Throws<ArgumentException>(() => tuner.Insert(Point(), new Dictionary<string, double> { ["loss"] = double.NaN }));
        var trial = tuner.Insert(Point(), new Dictionary<string, double> { ["loss"] = -3 });
        Assert.Equal((TrialState.Completed, -3.0, TrialInserted.Worker), (trial.State, trial.Values!["loss"], trial.Worker));
        Assert.Equal(trial.Id, tuner.Best!.Id);
        Assert.Equal(1, tuner.Progress.Completed);
    }

    [Fact]
    public void Without_values_the_trial_is_handed_out_before_any_new_suggestion()
    {
        var tuner = new Tuner(Study());
        var first = tuner.Suggest("a").Trial!;
        var inserted = tuner.Insert(Point());
        Assert.Equal((TrialState.Interrupted, 0), (inserted.State, inserted.Attempts));
        var next = tuner.Suggest("b").Trial!;
        Assert.Equal((inserted.Id, Point(), 1, "b"), (next.Id, next.Assignment, next.Attempts, next.Worker));
        tuner.Observe(next.Id, 2);
        tuner.Observe(first.Id, 1);
        Assert.Equal(2, tuner.Progress.Completed);
    }

    [Fact]
    public void A_budget_with_no_room_left_refuses_an_insertion()
    {
        var tuner = new Tuner(Study(budget: 2));
        tuner.Insert(Point(x: 1));
        tuner.Insert(Point(x: 2), new Dictionary<string, double> { ["loss"] = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => tuner.Insert(Point(x: -1)));
        Assert.Contains("budget of 2 has no room", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inserted_trials_are_journaled_and_a_resumed_study_hands_the_waiting_one_out_first()
    {
        using var dir = new TempDirectory();
        using (var checkpoint = Checkpoint.Create(dir.Path, Study()))
        {
            var tuner = checkpoint.CreateTuner();
            tuner.Observe(tuner.Suggest("w").Trial!.Id, 5);
            tuner.Insert(Point(kernel: "poly"), new Dictionary<string, double> { ["loss"] = 0.5 });
            tuner.Insert(Point(x: -1.5, n: 10));
        }

        var read = Checkpoint.Read(dir.Path).State;
        Assert.Equal([TrialState.Completed, TrialState.Completed, TrialState.Interrupted], read.Trials.Select(t => t.State));
        Assert.Equal(0.5, read.Best!.Values!["loss"]);
        Assert.Equal(TrialInserted.WaitingReason, read.Trials[2].Reason);

        using var resumed = Checkpoint.Open(dir.Path);
        var next = resumed.CreateTuner().Suggest("w2").Trial!;
        Assert.Equal((3L, Point(x: -1.5, n: 10)), (next.Id, next.Assignment));
    }
}
