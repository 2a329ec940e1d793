using System.Globalization;
using System.Text.RegularExpressions;
using HpcTune.Cli.Tests;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Service.Tests;

/// <summary>A worker outlives its server: killed with SIGKILL mid-study and started again on the same checkpoint and port.</summary>
public sealed partial class WorkerRestartTests : IDisposable
{
    private const int Budget = 16;
    private readonly ClientWorkspace _w = new();

    [Fact]
    public async Task A_worker_carries_on_after_the_server_is_killed_and_restarted_and_the_budget_is_met_exactly()
    {
        var study = _w.Study(budget: Budget, bandwidth: 2);
        await using var server = await ServedStudy.StartAsync(_w, study);
        var port = server.Port;
        using var worker = HpcTuneProcess.Start(_w.Path, ["worker", "--connect", server.Url.ToString(), "--token-file", _w.TokenFile, "--name", "survivor",
            "--retry-timeout", "60", "--command", .. _w.ObjectiveCommand(sleepSeconds: 0.1)]);
        var output = HpcTuneProcess.CollectAsync(worker, TimeSpan.FromSeconds(50), () => worker.Kill(entireProcessTree: true));

        await WaitForEvaluationsAsync(5, worker);
        await server.KillAsync();
        await using var restarted = await ServedStudy.StartAsync(_w, null, port);
        var result = await output;

        Assert.True(result.ExitCode == 0, $"{result}\nserver:\n{restarted.Stderr}");
        Assert.Contains("did not answer", result.Stderr, StringComparison.Ordinal); // it did lose the server
        await restarted.KillAsync();
        var trials = Checkpoint.Read(_w.Checkpoint).State.Trials;
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(Budget, completed.Count); // no more: a result sent again was counted once
        Assert.Equal(completed.Count, completed.Select(t => t.Id).Distinct().Count());
        Assert.Equal(completed.Count, completed.Select(t => t.Assignment).Distinct().Count());
        var completedIds = completed.Select(t => t.Id).ToHashSet();
        Assert.Subset(completedIds, AcknowledgedTrials(result.Stderr)); // nothing acknowledged was lost
        Assert.All(completed, t => Assert.Equal(t.Assignment.GetDouble("x1") + (2 * t.Assignment.GetDouble("x2")), t.Values!["value"], 9));
        // Every completed trial was evaluated; one cut off by the kill may have been evaluated twice, never counted twice.
        Assert.Subset(Evaluated().ToHashSet(), completedIds);
    }

    /// <summary>Waits (with a deadline) until the objective has written <paramref name="count"/> evaluations.</summary>
    private async Task WaitForEvaluationsAsync(int count, System.Diagnostics.Process worker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Evaluated().Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline && !worker.HasExited, $"the worker evaluated {Evaluated().Count} trials in 30 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private List<long> Evaluated() => File.Exists(_w.Evaluations)
        ? [.. File.ReadAllLines(_w.Evaluations).Select(l => long.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture))]
        : [];

    /// <summary>The trials the worker logged as recorded by the server (the client's "trial N: value=..." line).</summary>
    private static HashSet<long> AcknowledgedTrials(string stderr) =>
        [.. Acknowledged().Matches(stderr).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"\[504\] trial (\d+): value=")]
    private static partial Regex Acknowledged();

    public void Dispose() => _w.Dispose();
}
