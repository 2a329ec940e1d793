using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Tests.Tuning;

/// <summary>A result that names metrics the study does not have, or lacks its objective, stops the study at once (issue 24, item 6).</summary>
public class ResultMismatchTests
{
    private static StudyDefinition Study(int budget = 40, int bandwidth = 3) =>
        new("mismatch", [ParameterDefinition.Double("x", -1, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("seconds", MetricObjective.Minimize, MetricStrategy.Store)],
            budget, bandwidth, maxFailures: 40, algorithm: new AlgorithmSpec("sobol", 4));

    [Fact]
    public async Task An_unknown_metric_name_stops_the_study_naming_the_expected_and_received_names()
    {
        var tuner = new Tuner(Study());
        var objective = Objective.FromFunction("lss", a => a.GetDouble("x"));
        var e = await Assert.ThrowsAsync<ResultMismatchException>(() => tuner.OptimizeAsync(objective, workers: 3, TestContext.Current.CancellationToken));
        Assert.Contains("'lss'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'loss'", e.Message, StringComparison.Ordinal);
        Assert.Equal(["lss"], e.Received);
        Assert.Equal(["loss", "seconds"], e.Expected);
        Assert.Equal(0, tuner.Progress.Failed); // not a trial's failure: the objective and the study disagree
        Assert.InRange(tuner.Trials.Count, 1, 3); // nothing handed out after the first such result
        Assert.All(tuner.Trials, t => Assert.Equal(TrialState.Interrupted, t.State)); // resume evaluates them again
        Assert.Contains(tuner.Trials, t => t.Reason!.Contains("'lss'", StringComparison.Ordinal));
        Assert.Equal(SuggestStatus.Finished, tuner.Suggest("late").Status);
    }

    [Fact]
    public async Task A_missing_objective_metric_stops_the_study_and_what_was_recorded_before_stays()
    {
        var tuner = new Tuner(Study(bandwidth: 1));
        var objective = Objective.FromAsync((trial, _) => ValueTask.FromResult(trial.TrialId <= 3
            ? ObjectiveResult.Success(new Dictionary<string, double> { ["loss"] = trial.Assignment.GetDouble("x"), ["seconds"] = 1 })
            : ObjectiveResult.Success("seconds", 2)));
        var e = await Assert.ThrowsAsync<ResultMismatchException>(() => tuner.OptimizeAsync(objective, workers: 1, TestContext.Current.CancellationToken));
        Assert.Contains("'loss'", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, e.TrialId);
        Assert.Equal(3, tuner.Progress.Completed);
        Assert.Equal(TrialState.Interrupted, tuner.GetTrial(4).State);
        Assert.Equal(4, tuner.Trials.Count);
    }

    [Fact]
    public void A_non_finite_value_still_fails_only_its_trial()
    {
        var tuner = new Tuner(Study());
        var trial = tuner.Suggest("w").Trial!;
        tuner.Report(trial.Id, ObjectiveResult.Success("loss", double.NaN));
        Assert.Equal(TrialState.Failed, tuner.GetTrial(trial.Id).State);
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("w").Status);
    }
}
