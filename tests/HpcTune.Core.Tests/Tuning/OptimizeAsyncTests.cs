using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Tests.Tuning;

public class OptimizeAsyncTests
{
    private static StudyDefinition Study(int budget, int bandwidth, int? maxFailures = null) =>
        new("opt", [ParameterDefinition.Double("x", -1, 1)], [new MetricDefinition("y", MetricObjective.Minimize)],
            budget, bandwidth, maxFailures, new AlgorithmSpec("sobol", 4));

    [Fact]
    public async Task Workers_meet_the_budget_exactly_and_each_does_some_of_the_work()
    {
        var tuner = new Tuner(Study(200, 4));
        var evaluatedBy = new System.Collections.Concurrent.ConcurrentBag<string>();
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var objective = Objective.FromAsync(async (trial, ct) =>
        {
            evaluatedBy.Add(trial.Worker);
            var order = Interlocked.Increment(ref started);
            if (order == 4)
            {
                allIn.SetResult();
            }

            if (order <= 4)
            {
                await allIn.Task.WaitAsync(ct); // the first four run at once, so every worker evaluates
            }

            return ObjectiveResult.Success("y", trial.Assignment.GetDouble("x") * trial.Assignment.GetDouble("x"));
        });
        var summary = await tuner.OptimizeAsync(objective, workers: 4, TestContext.Current.CancellationToken);
        Assert.Equal(200, summary.Progress.Completed);
        Assert.Equal(200, tuner.Trials.Count);
        Assert.Equal(StudyStatus.Completed, summary.Progress.Status);
        Assert.Equal(4, evaluatedBy.Distinct().Count());
        Assert.True(summary.Best!.Values!["y"] < 1e-3);
    }

    [Fact]
    public async Task Exceptions_and_invalid_values_become_failed_trials_with_the_reason()
    {
        var tuner = new Tuner(Study(10, 2));
        var objective = Objective.FromAsync((trial, _) => trial.TrialId switch
        {
            1 => throw new InvalidOperationException("solver diverged"),
            2 => ValueTask.FromResult(ObjectiveResult.Success("y", double.NaN)),
            4 => ValueTask.FromResult(ObjectiveResult.Failure("out of memory")),
            _ => ValueTask.FromResult(ObjectiveResult.Success("y", 1)),
        });
        var summary = await tuner.OptimizeAsync(objective, 2, TestContext.Current.CancellationToken);
        Assert.Equal((10, 3), (summary.Progress.Completed, summary.Progress.Failed)); // a wrong metric name stops the study instead (ResultMismatchTests)
        Assert.Equal("InvalidOperationException: solver diverged", tuner.GetTrial(1).Reason);
        Assert.Contains("metric 'y' is NaN", tuner.GetTrial(2).Reason, StringComparison.Ordinal);
        Assert.Equal("out of memory", tuner.GetTrial(4).Reason);
        Assert.All(tuner.Trials.Where(t => t.Id is 1 or 2 or 4), t => Assert.Equal(TrialState.Failed, t.State));
    }

    [Fact]
    public async Task A_function_that_always_fails_stops_at_max_failures()
    {
        var tuner = new Tuner(Study(50, 3, maxFailures: 5));
        var summary = await tuner.OptimizeAsync(Objective.FromFunction("y", _ => throw new TimeoutException("never")), 3, TestContext.Current.CancellationToken);
        Assert.Equal(StudyStatus.Broken, summary.Progress.Status);
        Assert.InRange(summary.Progress.Failed, 5, 5 + 2); // the ones already running when the fifth failed still report
        Assert.Equal(0, summary.Progress.Open);
    }

    [Fact]
    public async Task Cancellation_releases_the_running_trials_and_loses_no_result()
    {
        var tuner = new Tuner(Study(1000, 3));
        using var cancel = new CancellationTokenSource();
        var blocked = 0;
        var objective = Objective.FromAsync(async (trial, ct) =>
        {
            if (trial.TrialId <= 5)
            {
                return ObjectiveResult.Success("y", trial.TrialId);
            }

            if (Interlocked.Increment(ref blocked) == 3)
            {
                await cancel.CancelAsync(); // all three workers are now inside the objective
            }

            await Task.Delay(Timeout.Infinite, ct);
            return ObjectiveResult.Success("y", 0);
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tuner.OptimizeAsync(objective, 3, cancel.Token));
        var progress = tuner.Progress;
        Assert.Equal((5, 0, 3), (progress.Completed, progress.Open, progress.Interrupted));
        Assert.All(tuner.Trials.Where(t => t.Id > 5), t => Assert.Equal(TrialState.Interrupted, t.State));

        // Resuming hands the interrupted trials out first.
        var resumed = await tuner.OptimizeAsync(Objective.FromFunction("y", a => a.GetDouble("x")), 3, TestContext.Current.CancellationToken);
        Assert.Equal(1000, resumed.Progress.Completed);
        Assert.All(tuner.Trials.Where(t => t.Id is > 5 and <= 8), t => Assert.Equal(2, t.Attempts));
    }
}
