using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Cli.Tests;

/// <summary><c>HpcTune insert</c> (issue 24, item 5).</summary>
public sealed class InsertCommandTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    private string[] Command() => ["--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt")];

    private Task<HpcTuneProcess.Result> Insert(string parameters, string? values = null) =>
        HpcTuneProcess.RunAsync(["insert", "--checkpoint", _w.Checkpoint, "--params", parameters, .. values is null ? Array.Empty<string>() : ["--values", values]]);

    [Fact]
    public async Task A_point_outside_the_space_is_refused_and_the_checkpoint_stays_loadable_by_status_and_resume()
    {
        // The repro: x = 50 in a [-2, 2] space was journaled, after which status and resume failed for good.
        Assert.Equal(0, (await HpcTuneProcess.RunAsync(["run", "--study", _w.Study(budget: 3, bandwidth: 1), "--checkpoint", _w.Checkpoint, .. Command()])).ExitCode);

        var refused = await Insert("""{"x": 50, "y": 0, "k": "a"}""");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("parameter 'x': 50 is outside [-2, 2]", refused.Stderr, StringComparison.Ordinal);
        var unknown = await Insert("""{"x": 0, "y": 0, "k": "a", "z": 1}""");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'z' is not a parameter", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await Insert("""{"x": 0, "y": 0, "k": "b"}""")).ExitCode); // not a listed category
        Assert.Equal(2, (await Insert("[1, 2]")).ExitCode);

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("completed 3/3", status.Stdout, StringComparison.Ordinal);
        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--budget", "4");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(4, Checkpoint.Read(_w.Checkpoint).State.CompletedCount);
    }

    [Fact]
    public async Task Inserted_trials_show_in_status_and_export_a_duplicate_is_a_conflict_and_resume_runs_the_waiting_one_first()
    {
        Assert.Equal(0, (await HpcTuneProcess.RunAsync(["run", "--study", _w.Study(budget: 3, bandwidth: 1), "--checkpoint", _w.Checkpoint, .. Command()])).ExitCode);
        var full = await Insert("""{"x": 0.5, "y": -0.25, "k": "a"}""");
        Assert.Equal(2, full.ExitCode);
        Assert.Contains("has no room for another trial", full.Stderr, StringComparison.Ordinal);

        using (var checkpoint = Checkpoint.Open(_w.Checkpoint))
        {
            checkpoint.CreateTuner().SetObservationBudget(6); // room for the inserts, without running trials
        }

        var completed = await Insert("""{"x": 0.5, "y": -0.25, "k": "a"}""", """{"loss": 0}""");
        Assert.True(completed.ExitCode == 0, completed.Stderr);
        Assert.Contains("inserted trial 4 (completed)", completed.Stdout, StringComparison.Ordinal);
        var waiting = await Insert("""{"x": -1.5, "y": 1.5, "k": "a"}""");
        Assert.True(waiting.ExitCode == 0, waiting.Stderr);
        Assert.Contains("inserted trial 5 (waiting to be handed out)", waiting.Stdout, StringComparison.Ordinal);

        var duplicate = await Insert("""{"y": 1.5, "x": -1.5, "k": "a"}""");
        Assert.Equal(4, duplicate.ExitCode);
        Assert.Contains("trial 5 (interrupted) already has the assignment", duplicate.Stderr, StringComparison.Ordinal);

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.Contains("completed 4/6", status.Stdout, StringComparison.Ordinal);
        var csv = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv");
        Assert.Contains(csv.StdoutLines, l => l.StartsWith("5,interrupted,-1.5,1.5,a,,inserted,0,", StringComparison.Ordinal));

        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var trials = Checkpoint.Read(_w.Checkpoint).State.Trials;
        var inserted = trials[4];
        Assert.Equal((TrialState.Completed, 1), (inserted.State, inserted.Attempts));
        Assert.True(inserted.SuggestedAt <= trials[5].CreatedAt, "the waiting trial goes out before any new one");
        Assert.Equal(6, trials.Count(t => t.State == TrialState.Completed));
    }
}
