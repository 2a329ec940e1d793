using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>A journal that cannot be written under a real <c>mpiexec</c>: the master stops every rank and the job ends.</summary>
[Collection("mpi")]
public sealed class MpiJournalFaultTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task A_full_disk_stops_every_rank_and_the_job_with_exit_3_and_resume_after_space_returns_loses_nothing()
    {
        using var disk = SmallDisk.Mount(_w.Combine("disk"), 1 << 20);
        var checkpoint = Path.Combine(disk.Path, "ckpt");
        disk.Fill(leaveFree: 16 * 1024);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        var gated = _w.GatedObjective(started, release);
        File.WriteAllText(release, ""); // trials run at once; the gate only records which ones started
        using var job = MpiLauncher.Start(_w.Path, 3, "run", "--study", JournalFaultTests.BraninStudy(_w, 300), "--checkpoint", checkpoint, "--trial-root", _w.Combine("trials"), "--command", Workspace.Python, gated, "{x1}");
        // Before the fix the master hung in MPI_Finalize for good, every rank waiting for it: a minute is plenty.
        var run = await HpcTuneProcess.CollectAsync(job, TimeSpan.FromSeconds(90), () => MpiLauncher.Signal(job, "KILL"));
        JournalFaultTests.AssertStoppedFor(run, "No space left on device", checkpoint);
        var before = JournalFaultTests.AssertPrintedTrialsAreJournaled(run.Stdout, checkpoint);
        Assert.InRange(before.CompletedCount, 1, 299);

        disk.Free();
        var resumed = await MpiLauncher.RunAsync(_w.Path, 3, "resume", "--checkpoint", checkpoint, "--trial-root", _w.Combine("trials"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        JournalFaultTests.AssertNothingLost(before, checkpoint, 300);
        var reissued = Checkpoint.Read(checkpoint).Events.OfType<TrialInterrupted>().Select(e => e.TrialId).ToHashSet();
        Assert.All(before.Trials.Where(t => t.State == TrialState.Open), t => Assert.Contains(t.Id, reissued)); // open ones were re-issued, not lost
    }
}
