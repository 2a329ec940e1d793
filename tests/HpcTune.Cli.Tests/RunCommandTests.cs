using System.Globalization;
using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    private string[] RunArgs(string study, params string[] extra) =>
        ["run", "--study", study, "--checkpoint", _w.Checkpoint, .. extra, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt")];

    [Fact]
    public async Task Run_completes_a_study_that_status_export_and_open_can_read()
    {
        var run = await HpcTuneProcess.RunAsync(RunArgs(_w.Study(budget: 12, bandwidth: 3)));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(12, run.StdoutLines.Count(l => l.Contains("] trial ", StringComparison.Ordinal)));

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(12, json.RootElement.GetProperty("completed").GetInt32());
        var best = json.RootElement.GetProperty("best");
        var side = File.ReadAllLines(_w.Combine("side.txt")).Select(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture));
        Assert.Equal(side.Min(), best.GetProperty("values").GetProperty("loss").GetDouble());

        var text = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.Contains("study 'cli-test': completed", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("completed 12/12", text.Stdout, StringComparison.Ordinal);

        var csv = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv");
        var lines = csv.StdoutLines;
        Assert.Equal("id,state,x,y,k,loss,worker,attempts,created,suggested,finished,reason,metadata,pareto,reports,member,generation,parent,checkpoint_dir,start_step,end_step", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.Contains(lines, l => l.Contains("\"\"\"; rm -rf ~\"", StringComparison.Ordinal)); // CSV-quoted categorical

        var exportFile = _w.Combine("trials.json");
        var exported = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json", "--output", exportFile);
        Assert.Equal(0, exported.ExitCode);
        using var trials = JsonDocument.Parse(File.ReadAllText(exportFile));
        Assert.Equal(12, trials.RootElement.GetArrayLength());
        Assert.All(trials.RootElement.EnumerateArray(), t => Assert.True(t.GetProperty("metadata").TryGetProperty("duration_s", out _)));

        var open = await HpcTuneProcess.RunAsync("open", "--checkpoint", _w.Checkpoint);
        Assert.Equal("0 open suggestions", open.StdoutLines[0]);
    }

    [Fact]
    public async Task Resume_raises_the_budget_and_reuses_the_recorded_command()
    {
        Assert.Equal(0, (await HpcTuneProcess.RunAsync(RunArgs(_w.Study(budget: 5)))).ExitCode);
        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--budget", "9");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Equal((9, 9), (contents.Definition.ObservationBudget, contents.State.CompletedCount));
        Assert.Equal(2, contents.Runs.Count);
        Assert.Equal(9, File.ReadAllLines(_w.Combine("side.txt")).Length); // the same program ran the new trials
    }

    [Fact]
    public async Task Resume_with_a_changed_study_lists_the_differences_and_changes_nothing()
    {
        Assert.Equal(0, (await HpcTuneProcess.RunAsync(RunArgs(_w.Study(budget: 4)))).ExitCode);
        var journal = File.ReadAllBytes(Checkpoint.JournalPath(_w.Checkpoint));
        var changed = _w.Write("changed.json", File.ReadAllText(_w.Combine("study.json")).Replace("\"max\": 2}", "\"max\": 3}", StringComparison.Ordinal).Replace("\"sobol\"", "\"random\"", StringComparison.Ordinal));
        var result = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--study", changed);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("parameters[0].bounds.max: 2 → 3", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("parameters[1].bounds.max: 2 → 3", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("algorithm.name: \"sobol\" → \"random\"", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(journal, File.ReadAllBytes(Checkpoint.JournalPath(_w.Checkpoint)));

        var lower = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--budget", "2");
        Assert.Equal(2, lower.ExitCode);
        Assert.Contains("can only be raised", lower.Stderr, StringComparison.Ordinal);

        var raised = _w.Write("raised.json", File.ReadAllText(_w.Combine("study.json")).Replace("\"observation_budget\": 4", "\"observation_budget\": 6", StringComparison.Ordinal));
        var ok = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--study", raised);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Equal(6, Checkpoint.Read(_w.Checkpoint).State.CompletedCount);
    }

    [Fact]
    public async Task A_study_whose_every_trial_fails_stops_broken_with_exit_1()
    {
        var study = _w.Study(budget: 10, bandwidth: 2, maxFailures: 3);
        var result = await HpcTuneProcess.RunAsync("run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, "-c", "import sys; sys.exit('bad input')");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken", result.Stdout, StringComparison.Ordinal);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.InRange(state.FailedCount, 3, 4);
        Assert.All(state.Trials, t => Assert.Contains("exit code 1; stderr: bad input", t.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_builtin_objective_runs_on_a_matching_study()
    {
        var study = _w.Write("branin.json", """
            {"name": "b", "parameters": [{"name": "x1", "bounds": {"min": -5, "max": 10}}, {"name": "x2", "bounds": {"min": 0, "max": 15}}],
             "metrics": [{"name": "value", "objective": "minimize"}], "observation_budget": 16, "algorithm": {"name": "sobol"}}
            """);
        var result = await HpcTuneProcess.RunAsync("run", "--study", study, "--checkpoint", _w.Checkpoint, "--objective", "builtin:branin", "--workers", "2");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(16, Checkpoint.Read(_w.Checkpoint).State.CompletedCount);
    }

    [Fact]
    public async Task Sigterm_journals_the_running_trials_as_interrupted_and_resume_reissues_them_first()
    {
        using var master = StartMasterWithTwoHangingTrials(budget: 6);
        var stderr = master.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        var during = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        Assert.Equal(0, during.ExitCode); // reading needs no lock
        var locked = await HpcTuneProcess.RunAsync("open", "--checkpoint", _w.Checkpoint, "--delete");
        Assert.Equal(2, locked.ExitCode);
        Assert.Contains("in use by another master", locked.Stderr, StringComparison.Ordinal);

        using (var kill = System.Diagnostics.Process.Start("/bin/kill", ["-TERM", master.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await master.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, master.ExitCode);
        Assert.Contains("resume", await stderr, StringComparison.Ordinal);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((0, 2), (state.OpenCount, state.InterruptedIds.Count));

        var open = await HpcTuneProcess.RunAsync("open", "--checkpoint", _w.Checkpoint);
        Assert.Equal("2 open suggestions", open.StdoutLines[0]);

        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var final = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal(6, final.CompletedCount);
        Assert.Equal(6, final.Trials.Count);
        Assert.All(final.Trials.Take(2), t => Assert.Equal(2, t.Attempts));
        var firstTwoDone = File.ReadAllLines(_w.Combine("side.txt")).Take(2).Select(l => l.Split(' ')[0]).Order();
        Assert.Equal(["1", "2"], firstTwoDone); // the interrupted ones went out before any new one
    }

    [Fact]
    public async Task Sigusr1_lets_running_trials_finish_within_the_grace_period_and_starts_no_new_ones()
    {
        var study = _w.Study(budget: 10, bandwidth: 2);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        var slow = _w.GatedObjective(started, release);
        using var master = HpcTuneProcess.Start(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--grace", "120", "--command", Workspace.Python, slow);
        var stdout = master.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(WaitFor(() => Directory.GetFiles(started).Length == 2), "both workers started their trial");
        MpiLauncher.SignalProcess(master.Id, "USR1");
        var logged = new System.Text.StringBuilder(await HpcTuneProcess.ReadErrorUntilAsync(master, "SIGUSR1")); // the master has stopped handing out work
        File.WriteAllText(release, ""); // the running trials finish now, well within the grace period
        logged.Append(await master.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await master.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(master.ExitCode == 3, logged + await stdout);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((2, 2, 0, 0), (state.Trials.Count, state.CompletedCount, state.OpenCount, state.InterruptedIds.Count));
    }

    [Fact]
    public async Task Open_delete_drops_open_suggestions_for_good()
    {
        using (var master = StartMasterWithTwoHangingTrials(budget: 4))
        {
            master.Kill(entireProcessTree: true);
            await master.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var deleted = await HpcTuneProcess.RunAsync("open", "--checkpoint", _w.Checkpoint, "--delete");
        Assert.Equal("deleted 2 open suggestions", deleted.StdoutLines[0]);
        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal([TrialState.Deleted, TrialState.Deleted], state.Trials.Take(2).Select(t => t.State));
        Assert.Equal(4, state.CompletedCount);
    }

    /// <summary>Starts a master with two workers whose objective never returns; returns once both trials are running.</summary>
    private System.Diagnostics.Process StartMasterWithTwoHangingTrials(int budget)
    {
        var study = _w.Study(budget: budget, bandwidth: 2);
        var started = _w.Combine("started");
        Directory.CreateDirectory(started);
        var hang = _w.Write("hang.py", $"""
            import os, time
            open(os.path.join("{started}", os.environ["HPCTUNE_TRIAL_ID"]), "w").close()
            time.sleep(1000)
            """);
        var master = HpcTuneProcess.Start(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--grace", "0.5", "--command", Workspace.Python, hang);
        Assert.True(WaitFor(() => Directory.GetFiles(started).Length == 2), "both workers started their trial");
        return master;
    }

    /// <summary>Waits, bounded, for something another process does; polling is the only way to see a file appear.</summary>
    internal static bool WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(25);
        }

        return true;
    }
}
