using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>Faults of a real <c>mpiexec</c> job: SIGKILL of the whole job, a rank that hangs, a walltime signal.</summary>
[Collection("mpi")]
public sealed partial class MpiFaultTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    /// <summary>
    /// At least 20 kills (HPCTUNE_SOAK_KILLS raises it: bench/soak-kill.sh runs 200); with HPCTUNE_SOAK_REPORT set, the
    /// counts are written there as one JSON object.
    /// </summary>
    [Fact]
    public async Task Kill_9s_of_the_whole_job_at_random_moments_lose_and_repeat_nothing()
    {
        var minimumKills = int.TryParse(Environment.GetEnvironmentVariable("HPCTUNE_SOAK_KILLS"), CultureInfo.InvariantCulture, out var soak) ? Math.Max(20, soak) : 20;
        // Room for the kills however many trials a session finishes before its kill lands (5 per kill was not
        // always enough: CI once got 17 kills out of 100 trials); after the last kill one session runs the rest.
        var budget = 20 * minimumKills;
        var study = _w.Study(budget: budget, bandwidth: 3);
        var side = _w.Combine("side.txt");
        string[] objective = ["--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", side];
        var random = new Random(20261123);
        var kills = 0;
        for (var session = 0; ; session++)
        {
            Assert.True(session < 5 * minimumKills, "the study did not finish");
            string[] arguments = session == 0 ? ["run", "--study", study, "--checkpoint", _w.Checkpoint, .. objective] : ["resume", "--checkpoint", _w.Checkpoint];
            using var job = MpiLauncher.Start(_w.Path, 4, arguments);
            var stderr = job.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var killAfterLines = kills < minimumKills ? random.Next(0, 2) : int.MaxValue;
            var lines = 0;
            var killed = false;
            var printed = new List<long>();
            while (await job.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                if (TrialLine().Match(line) is { Success: true } match)
                {
                    lines++;
                    printed.Add(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                }

                if (lines >= killAfterLines)
                {
                    await Task.Delay(random.Next(0, 150), TestContext.Current.CancellationToken); // a random moment, not a synchronization
                    MpiLauncher.Signal(job, "KILL");
                    killed = true;
                    break;
                }
            }

            await job.WaitForExitAsync(TestContext.Current.CancellationToken);
            var errors = await stderr;
            if (killed && job.ExitCode != 0)
            {
                // A trial line is printed only after its result is on disk, so the kill cannot have lost it.
                var finished = Checkpoint.Read(_w.Checkpoint).Events
                    .Select(e => e switch { TrialObserved o => o.TrialId, TrialFailed f => f.TrialId, TrialInterrupted i => i.TrialId, _ => -1 })
                    .ToHashSet();
                Assert.All(printed, id => Assert.Contains(id, finished));
                kills++;
                continue;
            }

            Assert.True(job.ExitCode == 0, errors);
            break;
        }

        Assert.True(kills >= minimumKills, $"only {kills} kills");
        var contents = Checkpoint.Read(_w.Checkpoint);
        var state = contents.State;
        Assert.Equal((StudyStatus.Completed, budget, budget), (state.Status, state.CompletedCount, state.Trials.Count));
        Assert.DoesNotContain(contents.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId), g => g.Count() > 1);

        // Every result the objective wrote is in the journal, or its trial was run again and completed.
        var produced = File.ReadAllLines(side).Select(l => long.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        foreach (var id in produced.Distinct())
        {
            Assert.Equal(TrialState.Completed, state.Find(id)!.State);
        }

        if (Environment.GetEnvironmentVariable("HPCTUNE_SOAK_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllText(report, System.Text.Json.JsonSerializer.Serialize(new
            {
                kills,
                budget,
                completed = state.CompletedCount,
                trials = state.Trials.Count,
                observed_twice = contents.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId).Count(g => g.Count() > 1),
                objective_results = produced.Count,
                trials_run_more_than_once = state.Trials.Count(t => t.Attempts > 1),
                results_lost = produced.Distinct().Count(id => state.Find(id)!.State != TrialState.Completed),
            }));
        }
    }

    [Fact]
    public async Task A_rank_that_stops_heartbeating_loses_its_trial_within_two_leases_and_its_late_result_counts_once()
    {
        const double lease = 3;
        var study = _w.Study(budget: 12, bandwidth: 3);
        var marker = _w.Combine("stopped-rank");
        var script = RankFreezingObjective(marker);
        using var job = MpiLauncher.Start(_w.Path, 4, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--lease", lease.ToString(CultureInfo.InvariantCulture), "--command", Workspace.Python, script, "{x}", "{y}");
        var stdout = job.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = job.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            Assert.True(RunCommandTests.WaitFor(() => File.Exists(marker)), "trial 2 stopped its rank");
            Assert.True(RunCommandTests.WaitFor(() => Interrupted(_w.Checkpoint, 2)), "trial 2 lost its lease");
        }
        finally
        {
            MpiLauncher.SignalProcess(int.Parse(File.ReadAllText(marker), CultureInfo.InvariantCulture), "CONT"); // it comes back and reports late
        }

        await job.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(job.ExitCode == 0, await stderr + await stdout);
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Equal((12, 12), (contents.State.CompletedCount, contents.State.Trials.Count));
        var trial = contents.State.Find(2)!;
        Assert.Equal((TrialState.Completed, 2), (trial.State, trial.Attempts));
        Assert.Single(contents.Events.OfType<TrialObserved>(), e => e.TrialId == 2);
        var interrupted = Assert.Single(contents.Events.OfType<TrialInterrupted>(), e => e.TrialId == 2);
        Assert.Contains("lease expired", interrupted.Reason, StringComparison.Ordinal);
        var created = Assert.Single(contents.Events.OfType<TrialCreated>(), e => e.TrialId == 2);
        Assert.True(interrupted.Time - created.Time <= TimeSpan.FromSeconds(2 * lease), $"interrupted {(interrupted.Time - created.Time).TotalSeconds} s after it went out");
    }

    [Fact]
    public async Task A_rank_hung_for_good_does_not_keep_the_finished_job_waiting()
    {
        const double lease = 2;
        var study = _w.Study(budget: 10, bandwidth: 3);
        var marker = _w.Combine("stopped-rank");
        var script = RankFreezingObjective(marker);
        using var job = MpiLauncher.Start(_w.Path, 4, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--lease", lease.ToString(CultureInfo.InvariantCulture), "--command", Workspace.Python, script, "{x}", "{y}");
        try
        {
            var result = await HpcTuneProcess.CollectAsync(job, TimeSpan.FromMinutes(2), () => MpiLauncher.Signal(job, "KILL"));
            Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
            Assert.Contains("has been silent", result.Stderr, StringComparison.Ordinal);
            Assert.Contains(result.StdoutLines, l => l.StartsWith("study 'cli-test' completed: 10/10 completed", StringComparison.Ordinal));
            var state = Checkpoint.Read(_w.Checkpoint).State;
            Assert.Equal((StudyStatus.Completed, 10, 10), (state.Status, state.CompletedCount, state.Trials.Count));
        }
        finally
        {
            if (File.Exists(marker))
            {
                MpiLauncher.SignalProcess(int.Parse(File.ReadAllText(marker), CultureInfo.InvariantCulture), "KILL");
            }
        }
    }

    [Fact]
    public async Task Sigusr1_to_mpiexec_lets_running_trials_finish_then_exits_3_and_resume_completes_the_budget()
    {
        var study = _w.Study(budget: 8, bandwidth: 3);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        var slow = _w.GatedObjective(started, release);
        using var job = MpiLauncher.Start(_w.Path, 4, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--grace", "120", "--command", Workspace.Python, slow, "{x}");
        var stdout = job.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == 3), "three ranks started their trial");
        MpiLauncher.SignalProcess(job.Id, "USR1"); // what a SLURM batch script forwards before the time limit
        var logged = new StringBuilder(await HpcTuneProcess.ReadErrorUntilAsync(job, "SIGUSR1")); // the master has stopped handing out work
        File.WriteAllText(release, ""); // the running trials finish within the grace period
        logged.Append(await job.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await job.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(job.ExitCode == 3, logged + await stdout);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((3, 3, 0, 0), (state.Trials.Count, state.CompletedCount, state.OpenCount, state.InterruptedIds.Count));

        var resumed = await MpiLauncher.RunAsync(_w.Path, 4, "resume", "--checkpoint", _w.Checkpoint);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var final = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((8, 8), (final.CompletedCount, final.Trials.Count));
    }

    /// <summary>The study's status as journaled so far; null while the journal cannot be read.</summary>
    /// <summary>
    /// A quadratic objective whose first attempt of trial 2 SIGSTOPs the worker rank running it (no more heartbeats
    /// from that rank) after writing the rank's pid to <paramref name="marker"/>.
    /// </summary>
    private string RankFreezingObjective(string marker) => _w.Write("freeze.py", $$"""
        import os, signal, sys
        x, y = float(sys.argv[1]), float(sys.argv[2])
        if os.environ["HPCTUNE_TRIAL_ID"] == "2" and not os.path.exists("{{marker}}"):
            with open("{{marker}}.tmp", "w") as f:
                f.write(str(os.getppid()))
            os.rename("{{marker}}.tmp", "{{marker}}")
            os.kill(os.getppid(), signal.SIGSTOP)
        print((x - 0.5) ** 2 + (y + 0.25) ** 2)
        """);

    private static bool Interrupted(string checkpoint, long trialId) =>
        ReadOr(checkpoint, c => c.Events.OfType<TrialInterrupted>().Any(e => e.TrialId == trialId), false);

    private static StudyStatus? StatusOf(string checkpoint) => ReadOr<StudyStatus?>(checkpoint, c => c.State.Status, null);

    /// <summary><paramref name="read"/> of the checkpoint as it is now, or <paramref name="fallback"/> while it cannot be read (mid-write, not there yet).</summary>
    private static T ReadOr<T>(string checkpoint, Func<JournalContents, T> read, T fallback)
    {
        try
        {
            return read(Checkpoint.Read(checkpoint));
        }
        catch (Exception e) when (e is IOException or JournalCorruptException or CheckpointException)
        {
            return fallback;
        }
    }

    [GeneratedRegex(@"\] trial (\d+) ")]
    private static partial Regex TrialLine();
}
