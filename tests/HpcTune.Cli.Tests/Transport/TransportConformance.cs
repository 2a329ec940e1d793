using System.Diagnostics;
using System.Globalization;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests.Transport;

/// <summary>
/// What every transport must do, run against the real CLI for each (<see cref="ThreadTransportTests"/>,
/// <see cref="MpiTransportTests"/>): two workers, a study of a few trials, faults injected through
/// <c>HPCTUNE_TEST_FAULTS</c> (docs/transport.md) and objectives that wait for files the test writes.
/// </summary>
public abstract class TransportConformance : IDisposable
{
    private const int Workers = 2;

    private readonly Workspace _w = new();

    /// <summary>The first worker's endpoint name: <c>thread-1</c>, <c>rank-1</c>.</summary>
    protected abstract string FirstWorker { get; }

    /// <summary>Starts <c>HpcTune</c> with <paramref name="arguments"/> (a verb and its options) on <paramref name="workers"/> workers.</summary>
    protected abstract Process Start(string directory, int workers, IReadOnlyDictionary<string, string>? environment, string[] arguments);

    /// <summary>Asks the master to stop gracefully, as a scheduler does before the time limit.</summary>
    protected abstract void RequestStop(Process job);

    /// <summary>Ends the job and everything under it.</summary>
    protected abstract void Kill(Process job);

    public void Dispose()
    {
        _w.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_worker_that_asks_again_gets_the_same_trial_and_nothing_is_evaluated_twice()
    {
        var study = _w.Study(budget: 8, bandwidth: 2 * Workers); // two slots per rank
        var side = _w.Combine("side.txt");
        var result = await RunAsync(Faults("repeat-requests"), "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", side);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Equal((8, 8), (contents.State.CompletedCount, contents.State.Trials.Count));
        Assert.Empty(contents.Events.OfType<TrialReissued>());
        var evaluated = File.ReadAllLines(side).Select(l => long.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture)).Order();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), evaluated);
    }

    [Fact]
    public async Task The_budget_is_met_exactly_when_more_slots_ask_than_trials_remain()
    {
        var study = _w.Study(budget: 7, bandwidth: 3 * Workers);
        var side = _w.Combine("side.txt");
        var result = await RunAsync(null, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", side);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Equal((StudyStatus.Completed, 7, 7), (contents.State.Status, contents.State.CompletedCount, contents.State.Trials.Count));
        Assert.Equal(7, File.ReadAllLines(side).Length);
        Assert.Contains("completed: 7/7", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_leaves_gives_back_its_trial_which_goes_out_again_before_any_new_one()
    {
        var study = _w.Study(budget: 6, bandwidth: Workers);
        var side = _w.Combine("side.txt");
        var result = await RunAsync(Faults($"leave={FirstWorker}@2"), "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", side);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Equal((6, 6), (contents.State.CompletedCount, contents.State.Trials.Count));
        var left = Assert.Single(contents.Events.OfType<TrialInterrupted>());
        Assert.Contains($"{FirstWorker} left", left.Reason, StringComparison.Ordinal);
        AssertHandedOutAgainFirst(contents, left.TrialId);
        Assert.Equal((TrialState.Completed, 2), (contents.State.Find(left.TrialId)!.State, contents.State.Find(left.TrialId)!.Attempts));
        Assert.Equal(2, contents.Events.OfType<TrialCreated>().Count(e => e.Worker.StartsWith(FirstWorker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_silent_worker_loses_its_trial_and_its_late_result_counts_when_it_comes_first()
    {
        var gates = new Gates(_w, FirstWorker);
        using var job = StartGated(gates);
        using var deadline = Deadline(job);
        await gates.WaitAsync("again.started", deadline.Token); // the lease ran out and another worker runs the trial
        gates.Open("late.go"); // the silent worker reports now, before the other

        var result = await HpcTuneProcess.CollectAsync(job, TimeSpan.FromMinutes(2), () => Kill(job)); // the other was told to abandon, or this never ends
        Assert.True(result.ExitCode == 0, result.Stderr);
        var contents = AssertDecidedBy(gates, 1.0);
        Assert.Single(contents.Events.OfType<TrialObserved>(), e => e.TrialId == gates.LateTrial);
    }

    [Fact]
    public async Task A_late_failure_is_dropped_while_another_worker_evaluates_the_trial_again()
    {
        var gates = new Gates(_w, FirstWorker);
        using var job = StartGated(gates);
        using var deadline = Deadline(job);
        var stderr = new System.Text.StringBuilder();
        await gates.WaitAsync("again.started", deadline.Token);
        gates.Open("late.fail");
        gates.Open("late.go"); // the silent worker fails now, while the other still evaluates
        while (await job.StandardError.ReadLineAsync(deadline.Token) is { } line && stderr.AppendLine(line) is not null && !line.Contains("a late failure", StringComparison.Ordinal))
        {
        }

        gates.Open("again.go"); // only then does the other attempt finish
        var result = await HpcTuneProcess.CollectAsync(job, TimeSpan.FromMinutes(2), () => Kill(job));
        Assert.True(result.ExitCode == 0, stderr + result.Stderr);
        var contents = AssertDecidedBy(gates, 2.0);
        Assert.DoesNotContain(contents.Events.OfType<TrialFailed>(), e => e.TrialId == gates.LateTrial);
    }

    [Fact]
    public async Task A_stop_request_lets_running_trials_finish_exits_3_and_resume_meets_the_budget()
    {
        var study = _w.Study(budget: 6, bandwidth: Workers);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        using var job = Start(_w.Path, Workers, null, ["run", "--study", study, "--checkpoint", _w.Checkpoint, "--grace", "120", "--command", Workspace.Python, _w.GatedObjective(started, release), "{x}"]);
        using var deadline = Deadline(job);
        var stdout = job.StandardOutput.ReadToEndAsync(deadline.Token);
        Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == Workers), "every worker started a trial");
        RequestStop(job);
        var logged = new System.Text.StringBuilder();
        while (await job.StandardError.ReadLineAsync(deadline.Token) is { } line && logged.AppendLine(line) is not null && !line.Contains("SIGUSR1", StringComparison.Ordinal))
        {
        }

        File.WriteAllText(release, ""); // the running trials finish within the grace period
        logged.Append(await job.StandardError.ReadToEndAsync(deadline.Token));
        await job.WaitForExitAsync(deadline.Token);
        Assert.True(job.ExitCode == 3, logged + await stdout);
        var stopped = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((Workers, Workers, 0, 0), (stopped.Trials.Count, stopped.CompletedCount, stopped.OpenCount, stopped.InterruptedIds.Count));

        var resumed = await RunAsync(null, "resume", "--checkpoint", _w.Checkpoint);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var final = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((6, 6), (final.CompletedCount, final.Trials.Count));
    }

    private static Dictionary<string, string> Faults(string faults) => new() { ["HPCTUNE_TEST_FAULTS"] = faults };

    private async Task<HpcTuneProcess.Result> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var job = Start(_w.Path, Workers, environment, arguments);
        return await HpcTuneProcess.CollectAsync(job, TimeSpan.FromMinutes(2), () => Kill(job));
    }

    /// <summary>The first worker never heartbeats (lease 1 s) and holds its first trial until the test says.</summary>
    private Process StartGated(Gates gates)
    {
        var study = _w.Study(budget: 6, bandwidth: Workers);
        return Start(_w.Path, Workers, Faults($"mute={FirstWorker}"), ["run", "--study", study, "--checkpoint", _w.Checkpoint, "--lease", "1", "--command", Workspace.Python, gates.Script, "{x}"]);
    }

    /// <summary>A bound on a test that waits for a job: past it the job is killed, so the waits end.</summary>
    private CancellationTokenSource Deadline(Process job)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        deadline.Token.Register(() => Kill(job));
        return deadline;
    }

    /// <summary>
    /// The late worker's trial lost its lease, went out again before any new trial, and was completed once with
    /// <paramref name="value"/> (1: the late attempt's, 2: the other's); the budget was met exactly.
    /// </summary>
    private JournalContents AssertDecidedBy(Gates gates, double value)
    {
        var contents = Checkpoint.Read(_w.Checkpoint);
        var trial = contents.State.Find(gates.LateTrial)!;
        Assert.Equal((TrialState.Completed, 2, value), (trial.State, trial.Attempts, trial.Values!["loss"]));
        var interrupted = contents.Events.OfType<TrialInterrupted>().First(e => e.TrialId == trial.Id);
        Assert.Contains("lease expired", interrupted.Reason, StringComparison.Ordinal);
        AssertHandedOutAgainFirst(contents, trial.Id);
        Assert.Equal((6, 6), (contents.State.CompletedCount, contents.State.Trials.Count));
        return contents;
    }

    /// <summary>The first hand-out after <paramref name="trialId"/> was interrupted is that trial again.</summary>
    private static void AssertHandedOutAgainFirst(JournalContents contents, long trialId)
    {
        var events = contents.Events.ToList();
        var at = events.FindIndex(e => e is TrialInterrupted i && i.TrialId == trialId);
        var next = events.Skip(at + 1).First(e => e is TrialCreated or TrialReissued);
        Assert.Equal(trialId, Assert.IsType<TrialReissued>(next).TrialId);
    }
}
