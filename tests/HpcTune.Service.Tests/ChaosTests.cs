using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HpcTune.Cli.Tests;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Service.Tests;

/// <summary>
/// Workers and the server killed with SIGKILL again and again while a study runs (issue 25 §6): workers join and leave,
/// a killed worker's trial goes out again, a killed server comes back on its checkpoint and port and the workers
/// reconnect. In the end the budget is met exactly, every result a worker saw acknowledged is in the journal, and no
/// trial is counted twice or carries another trial's value.
/// </summary>
public sealed partial class ChaosTests : IDisposable
{
    private const int Budget = 40;
    private readonly ClientWorkspace _w = new();
    private readonly List<(Process Process, Task<HpcTuneProcess.Result> Output)> _workers = [];
    private int _named;

    [Fact]
    public async Task Eleven_kills_of_workers_and_the_server_lose_nothing_and_count_nothing_twice()
    {
        var study = _w.Study(budget: Budget, bandwidth: 4);
        var server = await ServedStudy.StartAsync(_w, study, 0, "--lease", "2");
        var port = server.Port;
        for (var i = 0; i < 3; i++)
        {
            StartWorker(server.Url);
        }

        // Worker, server, worker, ... : 6 workers and 5 servers killed, each after the study moved on.
        var kills = 0;
        for (var round = 0; round < 11; round++)
        {
            await WaitForEvaluationsAsync(3 + (3 * round));
            if (round % 2 == 0)
            {
                var victim = _workers.First(w => !w.Process.HasExited).Process;
                victim.Kill(entireProcessTree: true); // its objective dies with it
                await victim.WaitForExitAsync(TestContext.Current.CancellationToken);
                StartWorker(server.Url); // workers come and go
            }
            else
            {
                await server.KillAsync();
                await server.DisposeAsync();
                server = await ServedStudy.StartAsync(_w, null, port, "--lease", "2");
            }

            kills++;
        }

        var results = await Task.WhenAll(_workers.Select(w => w.Output));
        var survivors = results.Where(r => r.ExitCode != 137 && r.ExitCode != -1).ToList();
        Assert.All(survivors, r => Assert.True(r.ExitCode == 0, r.ToString()));
        await server.KillAsync();
        await server.DisposeAsync();

        Assert.Equal(11, kills);
        var trials = Checkpoint.Read(_w.Checkpoint).State.Trials;
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(Budget, completed.Count);
        Assert.Equal(Budget, completed.Select(t => t.Assignment).Distinct().Count());
        Assert.All(completed, t => Assert.Equal(t.Assignment.GetDouble("x1") + (2 * t.Assignment.GetDouble("x2")), t.Values!["value"], 9));
        var acknowledged = results.SelectMany(r => Acknowledged().Matches(r.Stderr)).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        Assert.NotEmpty(acknowledged);
        Assert.Subset(completed.Select(t => t.Id).ToHashSet(), acknowledged);
        Assert.Contains(trials, t => t.Attempts > 1); // some trial did go out again after a kill
    }

    private void StartWorker(Uri url)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"chaos-{++_named}");
        var process = HpcTuneProcess.Start(_w.Path, ["worker", "--connect", url.ToString(), "--token-file", _w.TokenFile, "--name", name,
            "--retry-timeout", "90", "--command", .. _w.ObjectiveCommand(sleepSeconds: 0.05)]);
        _workers.Add((process, HpcTuneProcess.CollectAsync(process, TimeSpan.FromMinutes(3), () => process.Kill(entireProcessTree: true))));
    }

    /// <summary>Waits (with a deadline) until the objective has run <paramref name="count"/> times in all.</summary>
    private async Task WaitForEvaluationsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((File.Exists(_w.Evaluations) ? File.ReadAllLines(_w.Evaluations).Length : 0) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} evaluations in 60 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"\[504\] trial (\d+): value=")]
    private static partial Regex Acknowledged();

    public void Dispose()
    {
        foreach (var (process, _) in _workers)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        _w.Dispose();
    }
}
