using System.Text.Json;

namespace HpcTune.Cli.Tests;

/// <summary>
/// <c>status</c>'s Orion-style statistics after a real run with worker threads: start, finish, duration, trials per
/// hour, trials per state and per worker, and the best trial, against the journal and <c>export</c>.
/// </summary>
public sealed class StatusStatsTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Status_gives_times_rate_states_workers_and_the_best_trial_as_export_has_it()
    {
        // Trials with x above 1.5 fail, so that more than one state is counted.
        var objective = _w.Write("objective.py", """
            import sys
            x, y = float(sys.argv[1]), float(sys.argv[2])
            if x > 1.5:
                sys.exit("x too large")
            print((x - 0.5) ** 2 + (y + 0.25) ** 2)
            """);
        var run = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", _w.Study(budget: 12, bandwidth: 3), "--checkpoint", _w.Checkpoint, "--workers", "3",
            "--command", Workspace.Python, objective, "{x}", "{y}");
        Assert.True(run.ExitCode == 0, run.Stderr);

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using var json = JsonDocument.Parse(status.Stdout);
        var root = json.RootElement;
        var trials = root.GetProperty("trials").GetInt32();

        var start = root.GetProperty("start").GetDateTimeOffset();
        var finish = root.GetProperty("finish").GetDateTimeOffset();
        var duration = root.GetProperty("duration_seconds").GetDouble();
        Assert.True(finish >= start, $"finish {finish:O} before start {start:O}");
        Assert.True(duration >= 0);
        Assert.Equal((finish - start).TotalSeconds, duration, 3);
        var ended = root.GetProperty("trials_ended").GetInt32();
        Assert.Equal(root.GetProperty("completed").GetInt32() + root.GetProperty("failed").GetInt32() + root.GetProperty("pruned").GetInt32(), ended);
        Assert.Equal(ended / (duration / 3600), root.GetProperty("trials_per_hour").GetDouble(), 6);

        var states = root.GetProperty("states");
        Assert.Equal(trials, states.EnumerateObject().Sum(s => s.Value.GetInt32()));
        Assert.Equal(root.GetProperty("completed").GetInt32(), states.GetProperty("completed").GetInt32());
        Assert.Equal(root.GetProperty("failed").GetInt32(), states.GetProperty("failed").GetInt32());

        var workers = root.GetProperty("workers").EnumerateArray().ToList();
        Assert.Equal(trials, workers.Sum(w => w.GetProperty("trials").GetInt32()));
        Assert.All(workers, w => Assert.Equal(w.GetProperty("trials").GetInt32(), w.GetProperty("states").EnumerateObject().Sum(s => s.Value.GetInt32())));
        Assert.Subset(new HashSet<string> { "thread-1", "thread-2", "thread-3" }, workers.Select(w => w.GetProperty("worker").GetString()!).ToHashSet());
        foreach (var state in states.EnumerateObject())
        {
            Assert.Equal(state.Value.GetInt32(), workers.Sum(w => w.GetProperty("states").GetProperty(state.Name).GetInt32()));
        }

        // The best trial is the completed row of export with the lowest loss, with its parameters.
        var exported = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json");
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        using var rows = JsonDocument.Parse(exported.Stdout);
        var bestRow = rows.RootElement.EnumerateArray()
            .Where(r => r.GetProperty("state").GetString() == "completed")
            .MinBy(r => r.GetProperty("values").GetProperty("loss").GetDouble());
        var best = root.GetProperty("best");
        Assert.Equal(bestRow.GetProperty("id").GetInt64(), best.GetProperty("id").GetInt64());
        Assert.Equal(bestRow.GetProperty("values").GetProperty("loss").GetDouble(), best.GetProperty("values").GetProperty("loss").GetDouble());
        Assert.Equal(bestRow.GetProperty("parameters").GetRawText(), best.GetProperty("parameters").GetRawText());

        var text = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.Contains($"trials per hour ({ended} ended)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  workers {workers.Count}:", text.Stdout, StringComparison.Ordinal);
        foreach (var worker in workers)
        {
            Assert.Contains($"    {worker.GetProperty("worker").GetString()}: {worker.GetProperty("trials").GetInt32()} trial(s): ", text.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains($"  best trial {bestRow.GetProperty("id").GetInt64()}: loss = ", text.Stdout, StringComparison.Ordinal);
    }
}
