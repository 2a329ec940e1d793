using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Cli.Tests;

/// <summary>A checkpoint written by the first edition loads and resumes unchanged (Data/golden-first-edition/README.md).</summary>
public sealed class GoldenCheckpointTests : IDisposable
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Data", "golden-first-edition");
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task The_first_edition_checkpoint_resumes_to_its_budget_with_its_results_unchanged()
    {
        Directory.CreateDirectory(_w.Checkpoint);
        foreach (var file in Directory.GetFiles(Path.Combine(Golden, "checkpoint")))
        {
            File.Copy(file, Path.Combine(_w.Checkpoint, Path.GetFileName(file)));
        }

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            var root = json.RootElement;
            int Count(string name) => root.GetProperty(name).GetInt32();
            Assert.Equal(("running", 12, 5, 3, 3, 0, 11, 2), (root.GetProperty("status").GetString(), Count("observation_budget"), Count("completed"), Count("failed"), Count("open"), Count("interrupted"), Count("trials"), Count("runs")));
            // Not finished: no finish time; the trials per state and per worker as the journal holds them.
            Assert.Equal(JsonValueKind.Null, root.GetProperty("finish").ValueKind);
            Assert.Equal((5, 3, 3), (root.GetProperty("states").GetProperty("completed").GetInt32(), root.GetProperty("states").GetProperty("failed").GetInt32(), root.GetProperty("states").GetProperty("open").GetInt32()));
            var recorded = Checkpoint.Read(_w.Checkpoint).State.Trials;
            var perWorker = root.GetProperty("workers").EnumerateArray().ToDictionary(w => w.GetProperty("worker").GetString()!, w => w.GetProperty("trials").GetInt32());
            Assert.Equal(recorded.GroupBy(t => t.Worker).ToDictionary(g => g.Key, g => g.Count()), perWorker);
        }

        var before = Checkpoint.Read(_w.Checkpoint).State;
        var open = before.Trials.Where(t => t.State == TrialState.Open).Select(t => t.Id).ToList();
        var started = _w.Combine("started.txt");
        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint,
            "--command", Workspace.Python, Path.Combine(Golden, "objective.py"), "{x}", "{n}", "{k}", started);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);

        var after = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((12, 0, 0), (after.CompletedCount, after.OpenCount, after.InterruptedIds.Count)); // the budget, exactly
        foreach (var recorded in before.Trials.Where(t => TrialTransitions.IsFinal(t.State)))
        {
            var now = after.Find(recorded.Id)!;
            Assert.Equal((recorded.State, recorded.Assignment.ToString(), recorded.Reason, recorded.FinishedAt), (now.State, now.Assignment.ToString(), now.Reason, now.FinishedAt));
            Assert.Equal(recorded.Values ?? new Dictionary<string, double>(), now.Values ?? new Dictionary<string, double>());
        }

        Assert.All(open, id => Assert.Equal(before.Find(id)!.Assignment.ToString(), after.Find(id)!.Assignment.ToString()));
        Assert.All(open, id => Assert.Equal(before.Find(id)!.Attempts + 1, after.Find(id)!.Attempts)); // handed out again, not replaced
        var firstStarted = File.ReadLines(started).Take(open.Count).Select(l => long.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(open, firstStarted); // the open trials went out before any new one
    }
}
