using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Tests.Model;

/// <summary>Intermediate reports, the Pruned state and lineage in the study state (CONTRACTS.md §6).</summary>
public class ReportPruneLineageTests
{
    private static StudyDefinition Study(int budget = 3) =>
        new("r", [ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("acc", MetricObjective.Maximize, MetricStrategy.Store)],
            budget, 2, null, new AlgorithmSpec("sobol", 3));

    private static Dictionary<string, double> Loss(double value) => new() { ["loss"] = value };

    [Fact]
    public void Reports_are_kept_in_order_and_their_steps_must_increase()
    {
        var tuner = new Tuner(Study());
        var trial = tuner.Suggest("w").Trial!;
        tuner.ReportProgress(trial.Id, 1, Loss(0.9));
        var after = tuner.ReportProgress(trial.Id, 5, new Dictionary<string, double> { ["loss"] = 0.5, ["acc"] = 0.7 });
        Assert.Equal([1L, 5L], after.Reports.Select(r => r.Step));
        Assert.Equal(0.7, after.Reports[1].Values["acc"]);
        Assert.Equal(TrialState.Open, after.State);

        var repeated = Assert.Throws<TrialStateException>(() => tuner.ReportProgress(trial.Id, 5, Loss(0.4)));
        Assert.Contains("step 5 comes after step 5", repeated.Message, StringComparison.Ordinal);
        Assert.Contains("must be 0 or more", Assert.Throws<TrialStateException>(() => tuner.ReportProgress(trial.Id, -1, Loss(0.4))).Message, StringComparison.Ordinal);
        Assert.Contains("'speed' is not a metric", Assert.Throws<TrialStateException>(() => tuner.ReportProgress(trial.Id, 6, new Dictionary<string, double> { ["speed"] = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("is NaN", Assert.Throws<TrialStateException>(() => tuner.ReportProgress(trial.Id, 6, Loss(double.NaN))).Message, StringComparison.Ordinal);
        Assert.Contains("holds no metric values", Assert.Throws<TrialStateException>(() => tuner.ReportProgress(trial.Id, 6, new Dictionary<string, double>())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_an_open_trial_reports()
    {
        var tuner = new Tuner(Study());
        var trial = tuner.Suggest("w").Trial!;
        tuner.Observe(trial.Id, 0.5);
        Assert.Contains($"cannot report progress for trial {trial.Id}: it is Completed, not open",
            Assert.Throws<TrialStateException>(() => tuner.ReportProgress(trial.Id, 1, Loss(0.1))).Message, StringComparison.Ordinal);
        Assert.Contains("no such trial", Assert.Throws<TrialStateException>(() => tuner.ReportProgress(99, 1, Loss(0.1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pruned_trial_keeps_its_last_report_counts_toward_the_budget_and_is_never_best()
    {
        var tuner = new Tuner(Study(budget: 2));
        var pruned = tuner.Suggest("a").Trial!;
        var other = tuner.Suggest("b").Trial!;
        tuner.ReportProgress(pruned.Id, 1, Loss(0.9));
        tuner.ReportProgress(pruned.Id, 3, Loss(0.01));
        var after = tuner.Prune(pruned.Id, "asha: below the rung at step 3");
        Assert.Equal(TrialState.Pruned, after.State);
        Assert.Equal(0.01, after.Values!["loss"]);
        Assert.Equal("asha: below the rung at step 3", after.Reason);
        Assert.Equal(SuggestStatus.Wait, tuner.Suggest("c").Status); // one pruned + one open: the budget of 2 is committed

        tuner.Observe(other.Id, 0.5);
        var state = tuner.CopyState();
        Assert.Equal(StudyStatus.Completed, state.Status);
        Assert.Equal((1, 1, 2), (state.CompletedCount, state.PrunedCount, state.CommittedCount));
        Assert.Equal(1, tuner.Progress.Pruned);
        Assert.Equal(other.Id, state.Best!.Id); // 0.5, although the pruned trial's 0.01 is lower
        Assert.Equal([other.Id], state.ParetoFront.Select(t => t.Id));
        Assert.Equal(SuggestStatus.Finished, tuner.Suggest("c").Status);
    }

    [Fact]
    public void Pruned_is_final_and_reached_only_from_open()
    {
        Assert.True(TrialTransitions.IsAllowed(TrialState.Open, TrialState.Pruned));
        Assert.False(TrialTransitions.IsAllowed(TrialState.Interrupted, TrialState.Pruned));
        Assert.True(TrialTransitions.IsFinal(TrialState.Pruned));
        var tuner = new Tuner(Study());
        var trial = tuner.Suggest("w").Trial!;
        tuner.Prune(trial.Id, "stopped");
        Assert.Contains("it is Pruned", Assert.Throws<TrialStateException>(() => tuner.Observe(trial.Id, 0.1)).Message, StringComparison.Ordinal);
        Assert.Null(tuner.GetTrial(trial.Id).Values); // pruned before any report
    }

    [Fact]
    public void A_trial_created_with_a_lineage_keeps_it()
    {
        var state = new StudyState(Study());
        var assignment = state.Definition.Space.Decode([0.25]);
        var lineage = new TrialLineage(Member: 3, Generation: 2, ParentTrialId: null, CheckpointDirectory: "/ckpt/trial-1/checkpoint");
        state.Apply(new TrialCreated(1, assignment, "w", DateTimeOffset.UnixEpoch, lineage));
        Assert.Equal(lineage, state.Find(1)!.Lineage);
        state.Apply(new TrialCreated(2, assignment, "v", DateTimeOffset.UnixEpoch));
        Assert.Null(state.Find(2)!.Lineage);
    }
}
