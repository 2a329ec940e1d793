using System.Globalization;
using System.Text;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>
/// Stop signals to a real <c>mpiexec</c> job: SIGHUP to the master stops it as SIGTERM does; SIGTERM to mpiexec, which
/// OpenMPI turns into SIGCONT, SIGTERM after odls_base_sigkill_timeout and SIGKILL as long after that, still leaves no
/// trial open and no objective running.
/// </summary>
[Collection("mpi")]
public sealed class MpiSignalTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Sighup_to_the_master_lets_running_trials_finish_then_exits_3_and_resume_completes_the_budget()
    {
        var study = _w.Study(budget: 8, bandwidth: 3);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        var slow = _w.GatedObjective(started, release);
        using var job = MpiLauncher.Start(_w.Path, 4, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--grace", "120", "--command", Workspace.Python, slow, "{x}");
        var stdout = job.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == 3), "three ranks started their trial");
        MpiLauncher.SignalProcess(MpiLauncher.MasterPid(job) ?? throw new InvalidOperationException("no rank 0"), "HUP");
        var logged = new StringBuilder(await HpcTuneProcess.ReadErrorUntilAsync(job, "SIGHUP"));
        File.WriteAllText(release, "");
        logged.Append(await job.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await job.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(job.ExitCode == 3, $"exit {job.ExitCode}\n{logged}{await stdout}");
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((3, 3, 0), (state.Trials.Count, state.CompletedCount, state.OpenCount));

        var resumed = await MpiLauncher.RunAsync(_w.Path, 4, "resume", "--checkpoint", _w.Checkpoint);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        JournalFaultTests.AssertNothingLost(state, _w.Checkpoint, 8);
    }

    [Fact]
    public async Task Sigterm_to_mpiexec_journals_the_running_trials_as_interrupted_before_the_kill_and_leaves_no_objective_running()
    {
        var study = _w.Study(budget: 6, bandwidth: 3);
        var started = _w.Combine("started");
        Directory.CreateDirectory(started);
        var hang = _w.Write("hang.py", $"""
            import os, sys, time
            marker = os.path.join("{started}", os.environ["HPCTUNE_TRIAL_ID"])
            if os.environ["HPCTUNE_TRIAL_ID"] in ("1", "2", "3") and not os.path.exists(marker):  # first attempts hang
                with open(marker + ".tmp", "w") as f:
                    f.write(str(os.getpid()))
                os.rename(marker + ".tmp", marker)
                time.sleep(1000)
            print(float(sys.argv[1]) ** 2)
            """);
        var environment = new Dictionary<string, string> { ["OMPI_MCA_odls_base_sigkill_timeout"] = "10" }; // SIGTERM 10 s after mpiexec's, SIGKILL 10 s later: 5 s to spare on a loaded node
        using var job = MpiLauncher.Start(_w.Path, 4, environment, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--grace", "120", "--command", Workspace.Python, hang, "{x}");
        Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == 3), "three ranks started their trial");
        MpiLauncher.SignalProcess(job.Id, "TERM");
        var run = await HpcTuneProcess.CollectAsync(job, TimeSpan.FromMinutes(1), () => MpiLauncher.Signal(job, "KILL"));

        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.True(contents.State.OpenCount == 0, $"{contents.State.OpenCount} trials left open; exit {run.ExitCode}\n{run.Stderr}");
        Assert.Equal([1L, 2L, 3L], contents.Events.OfType<TrialInterrupted>().Select(e => e.TrialId).Order());
        foreach (var pid in Directory.GetFiles(started).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).Select(f => int.Parse(File.ReadAllText(f), CultureInfo.InvariantCulture)))
        {
            Assert.False(Directory.Exists($"/proc/{pid}"), $"objective {pid} outlived the job");
        }

        var resumed = await MpiLauncher.RunAsync(_w.Path, 4, "resume", "--checkpoint", _w.Checkpoint);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var final = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((6, 6), (final.CompletedCount, final.Trials.Count));
        Assert.All(final.Trials.Where(t => t.Id <= 3), t => Assert.Equal(2, t.Attempts));
    }

    [Fact]
    public async Task Sigterm_to_mpiexec_in_tune_sbatch_exits_3_from_the_journal_and_the_next_run_finishes_the_study()
    {
        var study = _w.Study(budget: 6, bandwidth: 3);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        var gated = _w.GatedObjective(started, release);
        try
        {
            using var job = StartTuneSbatch(study, Workspace.Python, gated, "{x}");
            Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == 3), "three ranks started their trial");
            MpiLauncher.SignalProcess(MpiLauncher.Find(job, "mpiexec") ?? throw new InvalidOperationException("no mpiexec"), "TERM"); // the repro: mpiexec exited 1
            var run = await HpcTuneProcess.CollectAsync(job, TimeSpan.FromMinutes(1), () => MpiLauncher.Signal(job, "KILL"));
            var output = run.Stdout + run.Stderr;
            Assert.True(run.ExitCode == 3, $"exit {run.ExitCode}\n{output}");
            Assert.Contains("exit 3, not 1: the study is running", output, StringComparison.Ordinal);
            var state = Checkpoint.Read(_w.Checkpoint).State;
            Assert.Equal(StudyStatus.Running, state.Status);

            File.WriteAllText(release, "");
            using var next = StartTuneSbatch(study, Workspace.Python, gated, "{x}");
            var finished = await HpcTuneProcess.CollectAsync(next, TimeSpan.FromMinutes(2), () => MpiLauncher.Signal(next, "KILL"));
            Assert.True(finished.ExitCode == 0, finished.Stdout + finished.Stderr);
            JournalFaultTests.AssertNothingLost(state, _w.Checkpoint, 6);
        }
        finally
        {
            File.WriteAllText(release, ""); // an objective mpiexec's SIGKILL left behind ends too
        }
    }

    /// <summary>Runs jobs/tune.sbatch outside SLURM (one run, no chain) with 4 ranks, in a session of its own.</summary>
    private System.Diagnostics.Process StartTuneSbatch(string study, params string[] command)
    {
        var start = new System.Diagnostics.ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _w.Path,
        };
        foreach (var argument in (string[])["bash", Path.Combine(LocalSlurm.RepoRoot, "jobs", "tune.sbatch"), .. command])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HPCTUNE_DLL"] = HpcTuneProcess.DllPath;
        start.Environment["HPCTUNE_STUDY"] = study;
        start.Environment["HPCTUNE_CHECKPOINT"] = _w.Checkpoint;
        start.Environment["HPCTUNE_RANKS"] = "4";
        start.Environment["HPCTUNE_OVERSUBSCRIBE"] = "1";
        start.Environment.Remove("SLURM_JOB_ID");
        var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }
}
