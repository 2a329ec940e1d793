using System.Globalization;
using System.Text.RegularExpressions;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>
/// A journal that cannot be written, on a real file system: a tmpfs filled to the brim, remounted read-only. The
/// master stops with a message naming the cause and exit 3 (2 before anything ran), never a stack trace, and resume
/// after the cause is gone loses nothing.
/// </summary>
public sealed partial class JournalFaultTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task A_full_disk_stops_the_run_with_exit_3_naming_the_cause_and_resume_after_space_returns_loses_nothing()
    {
        using var disk = SmallDisk.Mount(_w.Combine("disk"), 1 << 20);
        var checkpoint = Path.Combine(disk.Path, "ckpt");
        disk.Fill(leaveFree: 16 * 1024); // room for ~50 trials of a 300-trial study
        var run = await HpcTuneProcess.RunAsync("run", "--study", BraninStudy(_w, 300), "--checkpoint", checkpoint, "--objective", "builtin:branin", "--workers", "2");
        AssertStoppedFor(run, "No space left on device", checkpoint);
        var before = AssertPrintedTrialsAreJournaled(run.Stdout, checkpoint);
        Assert.InRange(before.CompletedCount, 1, 299);

        disk.Free();
        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", checkpoint);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        AssertNothingLost(before, checkpoint, 300);
    }

    [Fact]
    public async Task Resume_on_a_read_only_checkpoint_reports_the_file_system_not_a_dead_master()
    {
        using var disk = SmallDisk.Mount(_w.Combine("disk"), 4 << 20);
        var checkpoint = Path.Combine(disk.Path, "ckpt");
        var study = _w.Study(budget: 6, bandwidth: 2);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        string[] objective = ["--trial-root", _w.Combine("trials"), "--command", Workspace.Python, _w.GatedObjective(started, release), "{x}"];
        using (var master = HpcTuneProcess.Start(_w.Path, ["run", "--study", study, "--checkpoint", checkpoint, .. objective]))
        {
            Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == 2), "both workers started their trial");
            master.Kill(entireProcessTree: true); // kill -9: its lock goes, its master.info (pid N) stays
            await master.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        disk.Remount(readOnly: true);
        var resumed = await HpcTuneProcess.RunAsync(["resume", "--checkpoint", checkpoint, .. objective]);
        AssertRefusedFor(resumed, "Read-only file system", checkpoint);
        var again = await HpcTuneProcess.RunAsync(["run", "--study", study, "--checkpoint", Path.Combine(disk.Path, "other"), .. objective]);
        AssertRefusedFor(again, "Read-only file system", Path.Combine(disk.Path, "other"));
        var before = Checkpoint.Read(checkpoint).State;

        disk.Remount(readOnly: false);
        File.WriteAllText(release, "");
        var finished = await HpcTuneProcess.RunAsync(["resume", "--checkpoint", checkpoint, .. objective]);
        Assert.True(finished.ExitCode == 0, finished.Stderr);
        AssertNothingLost(before, checkpoint, 6);
    }

    [Fact]
    public async Task A_lock_file_that_cannot_be_opened_is_reported_as_such_not_as_another_master()
    {
        var study = _w.Study(budget: 2, bandwidth: 1);
        var run = await HpcTuneProcess.RunAsync("run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var lockFile = Path.Combine(_w.Checkpoint, "master.lock");
        File.Delete(lockFile);
        Directory.CreateDirectory(lockFile); // an I/O error other than a held lock: EISDIR
        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--budget", "3");
        AssertRefusedFor(resumed, lockFile, _w.Checkpoint);
    }

    /// <summary>A 2-D Branin study on Sobol points.</summary>
    internal static string BraninStudy(Workspace w, int budget) => w.Write("branin.json", $$$"""
        {"name": "b", "parameters": [{"name": "x1", "bounds": {"min": -5, "max": 10}}, {"name": "x2", "bounds": {"min": 0, "max": 15}}],
         "metrics": [{"name": "value", "objective": "minimize"}], "observation_budget": {{{budget}}}, "parallel_bandwidth": 4, "algorithm": {"name": "sobol", "seed": 5}}
        """);

    /// <summary>Exit 3, the cause and the journal's path in one message, no stack trace.</summary>
    internal static void AssertStoppedFor(HpcTuneProcess.Result result, string cause, string checkpoint)
    {
        var report = $"exit {result.ExitCode}\n{result.Stderr}";
        Assert.True(result.ExitCode == 3, report);
        Assert.Matches($"journal write failed: {Regex.Escape(cause)} \\({Regex.Escape(Checkpoint.JournalPath(checkpoint))}\\)", result.Stderr);
        Assert.Contains($"resume --checkpoint {checkpoint}", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result.Stderr);
    }

    /// <summary>Exit 2, the cause and the path named, no stack trace, no word of another master.</summary>
    internal static void AssertRefusedFor(HpcTuneProcess.Result result, string cause, string path)
    {
        var report = $"exit {result.ExitCode}\n{result.Stderr}";
        Assert.True(result.ExitCode == 2, report);
        Assert.Contains(cause, result.Stderr, StringComparison.Ordinal);
        Assert.Contains(path, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("in use by another master", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result.Stderr);
    }

    internal static void AssertNoStackTrace(string stderr)
    {
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\(", stderr);
    }

    /// <summary>Every trial the run printed as done is completed in the journal, with the value printed; returns the journal's state.</summary>
    internal static StudyState AssertPrintedTrialsAreJournaled(string stdout, string checkpoint)
    {
        var state = Checkpoint.Read(checkpoint).State;
        foreach (Match line in DoneLine().Matches(stdout))
        {
            var trial = state.Find(long.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.True(trial is { State: TrialState.Completed }, $"printed trial {line.Groups[1].Value} is {trial?.State.ToString() ?? "missing"} in the journal");
        }

        return state;
    }

    /// <summary>The study met its budget exactly; every trial completed <paramref name="before"/> kept its values; nothing was observed twice.</summary>
    internal static void AssertNothingLost(StudyState before, string checkpoint, int budget)
    {
        var after = Checkpoint.Read(checkpoint);
        Assert.Equal((StudyStatus.Completed, budget, budget), (after.State.Status, after.State.CompletedCount, after.State.Trials.Count));
        foreach (var trial in before.Trials.Where(t => t.State == TrialState.Completed))
        {
            Assert.Equal(trial.Values, after.State.Find(trial.Id)!.Values);
        }

        Assert.DoesNotContain(after.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId), g => g.Count() > 1);
    }

    [GeneratedRegex(@"\] trial (\d+) \w+=")]
    private static partial Regex DoneLine();
}
