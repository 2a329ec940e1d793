using HpcTune.Client;
using HpcTune.Objectives;
using HpcTune.Trials;

namespace HpcTune.Service.Tests;

/// <summary>
/// Intermediate reports of network workers against a real <c>HpcTune serve</c>: the study's early stopping rule
/// decides on them and stops a worker's trial, and acknowledged reports survive a kill -9 of the server.
/// </summary>
public sealed class ReportStopTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _w.Dispose();

    /// <summary>Branin's space minimizing <c>value</c> (one trial at a time by default), under <c>median</c> with one trial to compare with.</summary>
    private string Study(int budget, int bandwidth = 1) => _w.Write("study.json", $$$"""
        {
          "name": "report-test",
          "parameters": [
            {"name": "x1", "type": "double", "bounds": {"min": -5, "max": 10}},
            {"name": "x2", "type": "double", "bounds": {"min": 0, "max": 15}}
          ],
          "metrics": [{"name": "value", "objective": "minimize"}],
          "observation_budget": {{{budget}}},
          "parallel_bandwidth": {{{bandwidth}}},
          "algorithm": {"name": "random", "seed": 5},
          "early_stopping": {"name": "median", "min_trials": 1}
        }
        """);

    [Fact]
    public async Task The_study_s_rule_stops_a_network_worker_s_trial_and_its_evaluation_ends()
    {
        await using var server = await ServedStudy.StartAsync(_w, Study(budget: 4));
        using var client = await ExperimentClient.ConnectAsync(server.Options(_w, "learner"), Token);
        var objective = new ReportingObjective();

        // One trial at a time, the value growing with the trial's id: trial 1 has nobody to compare with and completes;
        // every later one is worse than the median of those before it at step 1, and is stopped there.
        Assert.Equal(4, await client.WorkOnAsync(objective, cancellationToken: Token));

        Assert.Equal([(1L, 3), (2L, 1), (3L, 1), (4L, 1)], objective.Steps.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
        Assert.Equal([2L, 3L, 4L], objective.CancelledAtStop.Order());
        var trials = await client.FetchTrialsAsync(cancellationToken: Token);
        Assert.Equal([TrialState.Completed, TrialState.Pruned, TrialState.Pruned, TrialState.Pruned], trials.Select(t => t.State));
        Assert.Equal([1L, 2L, 3L], trials[0].Reports.Select(r => r.Step));
        foreach (var pruned in trials.Skip(1))
        {
            Assert.Equal(pruned.Id, pruned.Values["value"]); // the last report's values
            Assert.Contains("median", pruned.FailureReason, StringComparison.Ordinal);
        }

        var stats = await client.GetStatsAsync(Token);
        Assert.Equal((1, 3, RemoteStudyStatus.Done), (stats.Counts.Completed, stats.Counts.Pruned, stats.Status));
    }

    [Fact]
    public async Task A_late_result_for_a_pruned_trial_is_acknowledged_and_a_repeated_step_is_not_recorded()
    {
        await using var server = await ServedStudy.StartAsync(_w, Study(budget: 3, bandwidth: 2));
        using var first = await ExperimentClient.ConnectAsync(server.Options(_w, "first"), Token);
        using var second = await ExperimentClient.ConnectAsync(server.Options(_w, "second"), Token);
        var good = (await first.SuggestAsync(Token))!;
        var bad = (await second.SuggestAsync(Token))!;

        var reported = await first.ReportAsync(good.Id, 1, Values(0.5), Token);
        Assert.Equal((false, true), (reported.Stop, reported.Recorded));
        var repeated = await first.ReportAsync(good.Id, 1, Values(0.5), Token);
        Assert.Equal((false, false), (repeated.Stop, repeated.Recorded));

        var stopped = await second.ReportAsync(bad.Id, 1, Values(9), Token);
        Assert.Equal((true, true), (stopped.Stop, stopped.Recorded));
        Assert.Contains("median", stopped.Reason, StringComparison.Ordinal);
        var late = await second.ObserveAsync(bad.Id, 9, cancellationToken: Token);
        Assert.Equal((false, true, TrialState.Pruned), (late.Recorded, late.Pruned, late.Trial!.State));

        var refused = await Assert.ThrowsAsync<ServiceCallException>(() => first.ReportAsync(good.Id, 2, new Dictionary<string, double> { ["accuracy"] = 1 }, Token));
        Assert.Contains("not a metric of this study", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_acknowledged_before_a_kill_of_the_server_are_in_its_journal_after_the_restart()
    {
        int port;
        long id;
        await using (var server = await ServedStudy.StartAsync(_w, Study(budget: 3)))
        {
            port = server.Port;
            using var client = await ExperimentClient.ConnectAsync(server.Options(_w, "learner"), Token);
            id = (await client.SuggestAsync(Token))!.Id;
            foreach (var step in new long[] { 1, 2, 3 })
            {
                Assert.True((await client.ReportAsync(id, step, Values(10 - step), Token)).Recorded);
            }

            await server.KillAsync();
        }

        await using var again = await ServedStudy.StartAsync(_w, null, port);
        using var back = await ExperimentClient.ConnectAsync(again.Options(_w, "learner"), Token);
        var trial = await back.GetTrialAsync(id, Token);
        Assert.Equal([(1L, 9.0), (2L, 8.0), (3L, 7.0)], trial.Reports.Select(r => (r.Step, r.Values["value"])));

        // The worker outlived the server: its next report takes the trial back and counts; a repeated one does not.
        var repeated = await back.ReportAsync(id, 3, Values(7), Token);
        Assert.Equal((false, false), (repeated.Stop, repeated.Recorded));
        var next = await back.ReportAsync(id, 4, Values(6), Token);
        Assert.Equal((false, true), (next.Stop, next.Recorded));
        Assert.Equal(TrialState.Open, (await back.GetTrialAsync(id, Token)).State);
    }

    private static Dictionary<string, double> Values(double value) => new() { ["value"] = value };

    /// <summary>Reports its trial's id as the value at steps 1, 2 and 3; stops when told to.</summary>
    private sealed class ReportingObjective : IObjective
    {
        public System.Collections.Concurrent.ConcurrentDictionary<long, int> Steps { get; } = new();

        public System.Collections.Concurrent.ConcurrentBag<long> CancelledAtStop { get; } = [];

        public async ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken)
        {
            for (var step = 1; step <= 3; step++)
            {
                Steps[trial.TrialId] = step;
                var answer = await trial.ReportAsync(step, Values(trial.TrialId), cancellationToken);
                if (answer.Stop)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        CancelledAtStop.Add(trial.TrialId);
                    }

                    return ObjectiveResult.Success("value", trial.TrialId);
                }
            }

            return ObjectiveResult.Success("value", trial.TrialId);
        }
    }
}
