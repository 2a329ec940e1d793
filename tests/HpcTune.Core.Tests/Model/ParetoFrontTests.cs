using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Tests.Model;

/// <summary>Multi-objective and constrained studies: the Pareto front of feasible completed trials; infeasible trials are never best.</summary>
public class ParetoFrontTests
{
    private static Trial Run(Tuner tuner, IReadOnlyDictionary<string, double> values)
    {
        var trial = tuner.Suggest("w").Trial!;
        return tuner.Observe(trial.Id, values);
    }

    [Fact]
    public void The_front_holds_the_trials_no_other_dominates()
    {
        var tuner = new Tuner(ModelStudies.TwoObjectives(budget: 10));
        var a = Run(tuner, new Dictionary<string, double> { ["f1"] = 1, ["f2"] = 5 });
        var b = Run(tuner, new Dictionary<string, double> { ["f1"] = 2, ["f2"] = 6 }); // dominated by a
        var c = Run(tuner, new Dictionary<string, double> { ["f1"] = 3, ["f2"] = 1 });
        var d = Run(tuner, new Dictionary<string, double> { ["f1"] = 1, ["f2"] = 5 }); // equal to a: both stay
        var e = Run(tuner, new Dictionary<string, double> { ["f1"] = 0.5, ["f2"] = 4 }); // dominates a and d
        var state = tuner.CopyState();
        Assert.Equal([c.Id, e.Id], state.ParetoFront.Select(t => t.Id));
        Assert.DoesNotContain(b.Id, state.ParetoFront.Select(t => t.Id));
        Assert.NotEqual(a.Id, d.Id);
        Assert.Equal(e.Id, state.Best!.Id); // the best on the first objective
    }

    [Fact]
    public void Every_optimized_metric_must_be_reported()
    {
        var tuner = new Tuner(ModelStudies.TwoObjectives());
        var trial = tuner.Suggest("w").Trial!;
        var error = Assert.Throws<ArgumentException>(() => tuner.Observe(trial.Id, new Dictionary<string, double> { ["f1"] = 1 }));
        Assert.Contains("the optimized metric 'f2' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_infeasible_trial_is_never_best_nor_on_the_front()
    {
        var tuner = new Tuner(ModelStudies.TwoObjectives(maxX: 1));
        var infeasible = Run(tuner, new Dictionary<string, double> { ["f1"] = 0, ["f2"] = 0, ["x_value"] = 1.5 });
        var unreported = Run(tuner, new Dictionary<string, double> { ["f1"] = 0, ["f2"] = 0 }); // a constraint not reported is not met
        var feasible = Run(tuner, new Dictionary<string, double> { ["f1"] = 3, ["f2"] = 3, ["x_value"] = 1 });
        var state = tuner.CopyState();
        Assert.False(state.IsFeasible(infeasible));
        Assert.False(state.IsFeasible(unreported));
        Assert.True(state.IsFeasible(feasible));
        Assert.Equal(feasible.Id, state.Best!.Id);
        Assert.Equal([feasible.Id], state.ParetoFront.Select(t => t.Id));
    }

    [Fact]
    public void A_single_objective_constraint_keeps_the_infeasible_optimum_from_being_best()
    {
        var study = new StudyDefinition("c", [ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("acc", MetricObjective.Maximize), new MetricDefinition("mem", MetricObjective.Minimize, MetricStrategy.Constraint, 16)], 5,
            algorithm: new AlgorithmSpec("random", 1));
        var tuner = new Tuner(study);
        Run(tuner, new Dictionary<string, double> { ["acc"] = 0.99, ["mem"] = 32 });
        var ok = Run(tuner, new Dictionary<string, double> { ["acc"] = 0.9, ["mem"] = 16 });
        Assert.Equal(ok.Id, tuner.CopyState().Best!.Id);
        Assert.Equal([ok.Id], tuner.CopyState().ParetoFront.Select(t => t.Id));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public async Task A_two_objective_constrained_study_runs_to_its_budget_and_reports_its_front(string algorithm)
    {
        var tuner = new Tuner(ModelStudies.TwoObjectives(algorithm, budget: 40, maxX: 2.5));
        var summary = await tuner.OptimizeAsync(Objective.FromAsync((trial, _) =>
        {
            var x = trial.Assignment.GetDouble("x");
            return ValueTask.FromResult(ObjectiveResult.Success(new Dictionary<string, double> { ["f1"] = x * x, ["f2"] = (x - 2) * (x - 2), ["x_value"] = x }));
        }), workers: 2, TestContext.Current.CancellationToken);

        Assert.Equal(StudyStatus.Completed, summary.Progress.Status);
        var state = tuner.CopyState();
        var feasible = state.CompletedTrials.Where(state.IsFeasible).ToList();
        // The front of f1 = x², f2 = (x - 2)², found the slow way: every feasible trial that no other is at least as good as on both and better on one.
        bool Dominates(Trial a, Trial b) =>
            a.Values!["f1"] <= b.Values!["f1"] && a.Values["f2"] <= b.Values["f2"] && (a.Values["f1"] < b.Values["f1"] || a.Values["f2"] < b.Values["f2"]);
        var expected = feasible.Where(t => !feasible.Any(o => Dominates(o, t))).Select(t => t.Id).Order().ToList();
        Assert.Equal(expected, state.ParetoFront.Select(t => t.Id).Order());
        Assert.All(feasible.Where(t => t.Assignment.GetDouble("x") is >= 0 and <= 2), t => Assert.Contains(t.Id, expected));
        Assert.NotEmpty(state.ParetoFront);
        Assert.All(state.ParetoFront, t => Assert.True(t.Assignment.GetDouble("x") <= 2.5));
        Assert.All(tuner.Trials, t => Assert.Equal(Environment.ProcessId, t.Metadata["pid"].Number));
        Assert.All(tuner.Trials, t => Assert.Equal(Environment.MachineName, t.Metadata["hostname"].Text));
    }

    [Fact]
    public void A_copy_of_the_state_keeps_its_own_front()
    {
        var tuner = new Tuner(ModelStudies.TwoObjectives());
        Run(tuner, new Dictionary<string, double> { ["f1"] = 1, ["f2"] = 1 });
        var copy = tuner.CopyState().Clone();
        Run(tuner, new Dictionary<string, double> { ["f1"] = 0, ["f2"] = 0 });
        Assert.Equal(1, copy.ParetoFront[0].Id);
        Assert.Equal(2, tuner.CopyState().ParetoFront.Single().Id);
    }

    [Fact]
    public void Scalar_metadata_may_be_a_boolean()
    {
        Assert.True(Scalar.FromBoolean(true).Boolean);
        Assert.Equal("false", Scalar.FromBoolean(false).ToString());
        Assert.NotEqual(Scalar.FromBoolean(true), Scalar.FromText("true"));
        Assert.NotEqual(Scalar.FromBoolean(false), Scalar.FromNumber(0));
        Assert.Contains("is a boolean, not a number", Assert.Throws<InvalidOperationException>(() => Scalar.FromBoolean(true).Number).Message, StringComparison.Ordinal);
    }
}
