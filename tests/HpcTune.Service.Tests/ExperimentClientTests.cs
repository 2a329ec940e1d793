using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using HpcTune.Client;
using HpcTune.Objectives;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Service.Tests;

/// <summary>The C# client against a real <c>HpcTune serve</c> process: every call, end to end over loopback.</summary>
public sealed class ExperimentClientTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_reads_the_study_and_suggest_observe_counts_a_repeated_result_once()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 5));
        using var client = await ExperimentClient.ConnectAsync(server.Options(_w, "w1"), Token);

        Assert.Equal("client-test", client.Definition!.Name);
        Assert.Equal(5, client.Study.ObservationBudget);
        Assert.Equal(RemoteStudyStatus.Running, client.Study.Status);
        var trial = await client.SuggestAsync(Token);
        Assert.NotNull(trial);
        Assert.Equal(TrialState.Open, trial.State);
        Assert.Equal(["x1", "x2"], trial.Parameters.Names);
        Assert.InRange(trial.Parameters.GetDouble("x1"), -5, 10);

        var again = await client.SuggestAsync(Token); // asked again, a worker gets its own open trial back
        Assert.Equal(trial.Id, again!.Id);

        var first = await client.ObserveAsync(trial.Id, 1.5, new Dictionary<string, Scalar> { ["note"] = "first" }, Token);
        Assert.True(first.Recorded);
        Assert.False(first.Duplicate);
        var repeated = await client.ObserveAsync(trial.Id, 1.5, new Dictionary<string, Scalar> { ["note"] = "first" }, Token);
        Assert.True(repeated.Recorded);
        Assert.True(repeated.Duplicate);

        var recorded = await client.GetTrialAsync(trial.Id, Token);
        Assert.Equal(TrialState.Completed, recorded.State);
        Assert.Equal(1.5, recorded.Values["value"]);
        Assert.Equal("first", recorded.Metadata["note"].Text);
        Assert.Equal(trial.Parameters, recorded.Parameters);
        var stats = await client.GetStatsAsync(Token);
        Assert.Equal(1, stats.Counts.Completed);
        Assert.Equal(trial.Id, stats.Best!.Id);
        Assert.NotNull(stats.Start);
    }

    [Fact]
    public async Task Fail_release_heartbeat_report_and_fetch_by_state()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 10));
        using var client = await ExperimentClient.ConnectAsync(server.Options(_w, "w1"), Token);
        var trials = await client.SuggestAsync(3, Token);
        Assert.Equal(3, trials.Count);

        var failed = await client.FailAsync(trials[0].Id, "out of memory", null, Token);
        Assert.True(failed.Recorded);
        var released = await client.ReleaseAsync(trials[1].Id, "node drained", Token);
        Assert.Equal(TrialState.Interrupted, released.State);
        Assert.False((await client.HeartbeatAsync(trials[2].Id, Token)).Abandon);
        var report = await client.ReportAsync(trials[2].Id, 1, new Dictionary<string, double> { ["value"] = 4.0 }, Token);
        Assert.False(report.Stop);

        Assert.Equal([trials[0].Id], (await client.FetchTrialsAsync(TrialState.Failed, Token)).Select(t => t.Id));
        Assert.Contains("out of memory", (await client.GetTrialAsync(trials[0].Id, Token)).FailureReason);
        Assert.Equal([trials[1].Id], (await client.FetchTrialsAsync(TrialState.Interrupted, Token)).Select(t => t.Id));
        var open = Assert.Single(await client.FetchTrialsAsync(TrialState.Open, Token));
        Assert.Equal(trials[2].Id, open.Id);
        Assert.Equal(1, Assert.Single(open.Reports).Step);
        Assert.Equal(3, (await client.FetchTrialsAsync(null, Token)).Count);

        // A released trial goes out again first, to any worker.
        using var other = await ExperimentClient.ConnectAsync(server.Options(_w, "w2"), Token);
        Assert.Equal(trials[1].Id, (await other.SuggestAsync(Token))!.Id);
        Assert.Equal(1, (await other.GetStatsAsync(Token)).OpenByWorker["w2"]);
    }

    [Fact]
    public async Task Insert_validates_and_a_duplicate_throws_DuplicateTrialException()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 10));
        using var client = await ExperimentClient.ConnectAsync(server.Options(_w), Token);
        var point = new Dictionary<string, Scalar> { ["x1"] = 1.0, ["x2"] = 2.0 };

        var inserted = await client.InsertAsync(point, null, Token);
        Assert.Equal(1.0, inserted.Parameters.GetDouble("x1"));
        var observed = await client.InsertAsync(new Dictionary<string, Scalar> { ["x1"] = 3.0, ["x2"] = 4.0 }, new Dictionary<string, double> { ["value"] = 11 }, Token);
        Assert.Equal(TrialState.Completed, observed.State);

        var duplicate = await Assert.ThrowsAsync<DuplicateTrialException>(() => client.InsertAsync(point, null, Token));
        Assert.Contains(duplicate.ExistingTrialId, new[] { inserted.Id, -1 }); // the trial, where the refusal names it
        var outside = await Assert.ThrowsAsync<ServiceCallException>(() => client.InsertAsync(new Dictionary<string, Scalar> { ["x1"] = 100.0, ["x2"] = 2.0 }, null, Token));
        Assert.Equal(StatusCode.InvalidArgument, outside.Status);
        Assert.Contains("x1", outside.Message, StringComparison.Ordinal);

        // The inserted point is handed out before any new suggestion.
        Assert.Equal(inserted.Id, (await client.SuggestAsync(Token))!.Id);
    }

    [Fact]
    public async Task WorkOn_runs_the_study_to_its_budget_and_an_objective_that_throws_fails_its_trial()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 6));
        using var client = await ExperimentClient.ConnectAsync(server.Options(_w, "w1"), Token);
        var calls = 0;

        var evaluated = await client.WorkOnAsync((trial, _) =>
            Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("the simulation diverged")
                : Task.FromResult(trial.Parameters.GetDouble("x1") + trial.Parameters.GetDouble("x2")), null, Token);

        Assert.Equal(7, evaluated);
        Assert.True(await client.IsDoneAsync(Token));
        Assert.False(await client.IsBrokenAsync(Token));
        Assert.NotNull(client.FinishedReason);
        var stats = await client.GetStatsAsync(Token);
        Assert.Equal(6, stats.Counts.Completed);
        Assert.Equal(1, stats.Counts.Failed);
        var failure = Assert.Single(await client.FetchTrialsAsync(TrialState.Failed, Token));
        Assert.Contains("the simulation diverged", failure.FailureReason);
        Assert.All(await client.FetchTrialsAsync(TrialState.Completed, Token), t =>
            Assert.Equal(t.Parameters.GetDouble("x1") + t.Parameters.GetDouble("x2"), t.Values["value"], 12));
        Assert.Null(await client.SuggestAsync(Token)); // finished: no trial
    }

    [Fact]
    public async Task WorkOn_stops_at_max_trials_and_a_study_with_too_many_failures_is_broken()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 10, maxFailures: 2));
        using var client = await ExperimentClient.ConnectAsync(server.Options(_w, "w1"), Token);

        Assert.Equal(2, await client.WorkOnAsync((_, _) => Task.FromResult(ObjectiveResult.Success("value", 1)), 2, Token));
        Assert.Equal(2, (await client.GetStatsAsync(Token)).Counts.Completed);
        Assert.Equal(0, (await client.GetStatsAsync(Token)).Counts.Open);

        Assert.Equal(2, await client.WorkOnAsync((_, _) => Task.FromResult(ObjectiveResult.Failure("no licence")), null, Token));
        Assert.True(await client.IsBrokenAsync(Token));
        Assert.True(await client.IsDoneAsync(Token));
        Assert.Empty(await client.SuggestAsync(4, Token));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_an_unreachable_server_ends_a_call_after_the_retry_time()
    {
        await using (var server = await ServedStudy.StartAsync(_w, _w.Study()))
        {
            var wrong = new ExperimentClientOptions { Url = server.Url, Token = "not-the-token" };
            var refused = await Assert.ThrowsAsync<ServiceCallException>(() => ExperimentClient.ConnectAsync(wrong, Token));
            Assert.Equal(StatusCode.Unauthenticated, refused.Status);
            var missing = await Assert.ThrowsAsync<ServiceCallException>(() => ExperimentClient.ConnectAsync(new ExperimentClientOptions { Url = server.Url, TokenFile = _w.TokenFile, Study = "no-such-study" }, Token));
            Assert.Equal(StatusCode.NotFound, missing.Status);
        }

        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var unreachable = new ExperimentClientOptions { Url = new Uri($"http://127.0.0.1:{port}"), Token = "t", RetryTimeout = TimeSpan.FromSeconds(1), FirstRetryDelay = TimeSpan.FromMilliseconds(50) };
        var gone = await Assert.ThrowsAsync<ServiceUnreachableException>(() => ExperimentClient.ConnectAsync(unreachable, Token));
        Assert.Contains($"127.0.0.1:{port}", gone.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => ExperimentClient.ConnectAsync(new ExperimentClientOptions { Url = new Uri("ftp://127.0.0.1:1"), Token = "t" }, Token));
    }

    public void Dispose() => _w.Dispose();
}
