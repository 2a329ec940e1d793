using HpcTune.Journal;
using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Tests.Journal;

/// <summary>
/// A study recorded before the name rules (issue 23, item 5) — a parameter named <c>generation</c>, two names
/// sharing one variable — stays readable and resumable: refusing it would make its results unreachable.
/// </summary>
public sealed class RecordedStudyNameTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpctune-names-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static StudyDefinition Legacy() =>
        new("before-the-rules",
            [ParameterDefinition.Double("generation", 0, 1), ParameterDefinition.Double("A", 0, 1), ParameterDefinition.Double("a", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 6, 2, 5, new AlgorithmSpec("sobol", 3));

    [Fact]
    public void A_new_definition_gets_the_rules()
    {
        var e = Assert.Throws<DefinitionException>(Legacy);
        Assert.Contains("reserved", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_study_recorded_before_the_rules_is_read_resumed_and_its_budget_raised()
    {
        using (ParameterNames.ReadingRecordedStudy())
        {
            using var created = Checkpoint.Create(_dir, Legacy());
            var tuner = created.CreateTuner();
            var trial = tuner.Suggest("w").Trial!;
            tuner.Observe(trial.Id, new Dictionary<string, double> { ["loss"] = 1 });
        }

        Assert.Throws<DefinitionException>(Legacy); // the scope ended with the block

        var contents = Checkpoint.Read(_dir);
        Assert.Equal(["generation", "A", "a"], contents.Definition.Space.Names);
        Assert.Equal(1, contents.State.CompletedCount);
        using var reopened = Checkpoint.Open(_dir);
        var resumed = reopened.CreateTuner();
        resumed.SetObservationBudget(8);
        var next = resumed.Suggest("w").Trial!;
        resumed.Observe(next.Id, new Dictionary<string, double> { ["loss"] = 2 });
        Assert.Equal(2, resumed.Progress.Completed);
    }
}
