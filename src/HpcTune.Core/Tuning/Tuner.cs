using System.Diagnostics;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Transport;
using HpcTune.Values;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcTune.Tuning;

/// <summary>
/// The study service: hands out suggestions and records results, enforcing the budget, the parallel bandwidth
/// and the failure limit. Thread-safe; every change goes through one lock as an event that the sink (journal)
/// sees before it is applied. In-process workers (<see cref="OptimizeAsync"/>) and MPI ranks call the same methods.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "the stop token's source has no timer; a tuner lives as long as its study's run")]
public sealed class Tuner
{
    private readonly Lock _lock = new();
    private readonly StudyState _state;
    private readonly ISampler _sampler;
    private readonly IStudyEventSink? _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _seed;
    private readonly LeaseBook? _leases;
    private readonly CancellationTokenSource _stopping = new(); // cancelled outside the lock: it ends a suggestion in progress
    private ISampler? _fallback;
    private TaskCompletionSource _changed = NewSignal();
    private string? _stopReason;
    private IEnumerator<Assignment>? _series;
    private int _seriesTrials = -1; // trials in the study right after the series' last one (-1: no series to go on with)

    /// <summary>A tuner for a new study. A definition without a seed gets a random one, visible in <see cref="Definition"/>.</summary>
    public Tuner(StudyDefinition definition, TunerOptions? options = null)
        : this(new StudyState((definition ?? throw new ArgumentNullException(nameof(definition))).WithResolvedSeed()), options)
    {
    }

    private Tuner(StudyState state, TunerOptions? options)
    {
        options ??= new TunerOptions();
        _state = state;
        _seed = state.Definition.Algorithm.Seed ?? throw new ArgumentException("the study's seed must be resolved", nameof(state));
        _sampler = options.Sampler ?? SamplerFactory.Create(state.Definition);
        _sink = options.Sink;
        _time = options.Time ?? TimeProvider.System;
        _logger = options.Logger ?? NullLogger.Instance;
        if (options.LeasePeriod is { } period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero, nameof(options));
            _leases = new LeaseBook(period, options.TrialTimeout);
            HeartbeatInterval = period / 4; // three beats may be lost or late before the lease runs out
        }
    }

    /// <summary>
    /// A tuner that continues a study replayed from its events (a journal). Open trials stay open:
    /// call <see cref="InterruptOpen"/> when their workers are known to be gone.
    /// </summary>
    public static Tuner Restore(StudyState state, TunerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new Tuner(state, options);
    }

    /// <summary>Raised (outside the lock) after a trial completes, fails, is interrupted or deleted.</summary>
    public event EventHandler<TrialFinishedEventArgs>? TrialFinished;

    /// <summary>The definition, with its resolved seed and current budget.</summary>
    public StudyDefinition Definition
    {
        get
        {
            lock (_lock)
            {
                return _state.Definition;
            }
        }
    }

    /// <summary>The counts now.</summary>
    public StudyProgress Progress
    {
        get
        {
            lock (_lock)
            {
                return _state.Progress;
            }
        }
    }

    /// <summary>The best feasible completed trial, or null.</summary>
    public Trial? Best
    {
        get
        {
            lock (_lock)
            {
                return _state.Best;
            }
        }
    }

    /// <summary>A snapshot of every trial, in id order.</summary>
    public IReadOnlyList<Trial> Trials
    {
        get
        {
            lock (_lock)
            {
                return [.. _state.Trials];
            }
        }
    }

    /// <summary>The trial with <paramref name="id"/>; <see cref="TrialStateException"/> if there is none.</summary>
    public Trial GetTrial(long id)
    {
        lock (_lock)
        {
            return _state.Find(id) ?? throw new TrialStateException(id, $"no trial {id} (ids run 1..{_state.Trials.Count})");
        }
    }

    /// <summary>A copy of the study's state now, for computing suggestions ahead of time off the tuner's lock.</summary>
    public StudyState Snapshot()
    {
        lock (_lock)
        {
            return _state.Clone();
        }
    }

    /// <summary>The study's resolved seed.</summary>
    public long Seed => _seed;

    /// <summary>How often a worker should call <see cref="Heartbeat"/> while it evaluates; null without leases.</summary>
    public TimeSpan? HeartbeatInterval { get; }

    /// <summary>The clock the tuner stamps events and measures leases with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Suggestions handed out whose results are not in, plus interrupted ones waiting to go out again.</summary>
    public IReadOnlyList<Trial> OpenSuggestions()
    {
        lock (_lock)
        {
            return [.. _state.Trials.Where(t => t.State is TrialState.Open or TrialState.Interrupted)];
        }
    }

    /// <summary>
    /// Work for <paramref name="worker"/>. A worker that already holds an open trial gets that same trial back
    /// (a retried request never duplicates work); otherwise interrupted trials go out first, then new ones
    /// from the sampler, as long as the bandwidth and the budget allow.
    /// </summary>
    public SuggestOutcome Suggest(string worker) => Suggest(worker, null);

    /// <summary>
    /// Like <see cref="Suggest(string)"/>, but a new trial gets the assignment <paramref name="prepare"/> returns for
    /// the new trial's id (one computed ahead of time from a <see cref="Snapshot"/>) instead of asking the sampler
    /// now; a null result asks the sampler. <paramref name="prepare"/> is called only when a new trial is created,
    /// under the tuner's lock: what it hands over is part of the study before any other thread can take a snapshot,
    /// so nothing computed later can miss it and suggest the same point again.
    /// </summary>
    public SuggestOutcome Suggest(string worker, Func<long, Assignment?>? prepare)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        lock (_lock)
        {
            if (_state.Status != StudyStatus.Running)
            {
                return new SuggestOutcome(SuggestStatus.Finished, null, FinishedReason());
            }

            if (_stopReason is not null)
            {
                return new SuggestOutcome(SuggestStatus.Finished, null, _stopReason);
            }

            if (_state.OpenTrialOf(worker) is { } held)
            {
                return new SuggestOutcome(SuggestStatus.Issued, held, null);
            }

            var definition = _state.Definition;
            if (_state.OpenCount >= definition.ParallelBandwidth)
            {
                return new SuggestOutcome(SuggestStatus.Wait, null, $"{_state.OpenCount} suggestions are open, the parallel bandwidth is {definition.ParallelBandwidth}");
            }

            if (_state.InterruptedIds.Count > 0)
            {
                var id = _state.InterruptedIds.First();
                Commit(new TrialReissued(id, worker, _time.GetUtcNow()));
                return new SuggestOutcome(SuggestStatus.Issued, _state.Find(id), null);
            }

            if (_state.CommittedCount >= definition.ObservationBudget)
            {
                return new SuggestOutcome(SuggestStatus.Wait, null, $"{_state.CompletedCount} completed and {_state.OpenCount} open would meet the budget of {definition.ObservationBudget}");
            }

            var newId = _state.Trials.Count + 1;
            var prepared = prepare?.Invoke(newId);
            var assignment = prepared ?? SamplerOrFallback(newId);
            if (assignment is null)
            {
                return new SuggestOutcome(SuggestStatus.Finished, null, _stopReason ?? "the run is stopping"); // a stop cut the suggestion short
            }

            var created = new TrialCreated(newId, assignment, worker, _time.GetUtcNow());
            Commit(created);
            if (prepared is null && _series is not null)
            {
                _seriesTrials = _state.Trials.Count;
            }

            return new SuggestOutcome(SuggestStatus.Issued, _state.Find(created.TrialId), null);
        }
    }

    /// <summary>Records the metric values of trial <paramref name="trialId"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite, the objective metric is missing, or a metric is unknown.</exception>
    /// <exception cref="TrialStateException">The trial does not exist or is not open or interrupted.</exception>
    public Trial Observe(long trialId, IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, Scalar>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var observed = new TrialObserved(trialId, new Dictionary<string, double>(values, StringComparer.Ordinal), CopyMetadata(metadata), _time.GetUtcNow());
        return Finish(trialId, observed, checkValues: true);
    }

    /// <summary>Records the objective metric's value of trial <paramref name="trialId"/>.</summary>
    public Trial Observe(long trialId, double objectiveValue, IReadOnlyDictionary<string, Scalar>? metadata = null) =>
        Observe(trialId, new Dictionary<string, double> { [Definition.Objective.Name] = objectiveValue }, metadata);

    /// <summary>Records that the evaluation of trial <paramref name="trialId"/> failed.</summary>
    /// <remarks>
    /// After <see cref="StopHandingOut"/> a failure is journaled as an interruption instead (the trial runs again in the
    /// next job): the signals of a walltime stop or a cancelled job kill evaluations too, and such a death must not
    /// count against <c>max_failures</c>.
    /// </remarks>
    public Trial Fail(long trialId, string reason, IReadOnlyDictionary<string, Scalar>? metadata = null)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? "failed (no reason given)" : reason;
        string? stopping;
        lock (_lock)
        {
            stopping = _stopReason;
        }

        StudyEvent finishing = stopping is null
            ? new TrialFailed(trialId, reason, CopyMetadata(metadata), _time.GetUtcNow())
            : new TrialInterrupted(trialId, $"failed while the run was stopping ({stopping}): {reason}", _time.GetUtcNow());
        return Finish(trialId, finishing, checkValues: false);
    }

    /// <summary>Gives an open trial back: it becomes Interrupted and is the next one handed out.</summary>
    public Trial Release(long trialId, string reason = "released by its worker") =>
        Finish(trialId, new TrialInterrupted(trialId, reason, _time.GetUtcNow()), checkValues: false);

    /// <summary>Marks every open trial Interrupted (its worker is gone), so it is handed out again first; returns how many.</summary>
    public int InterruptOpen(string reason)
    {
        var count = 0;
        foreach (var trial in OpenSuggestions().Where(t => t.State == TrialState.Open))
        {
            try
            {
                Release(trial.Id, reason);
                count++;
            }
            catch (TrialStateException)
            {
                // Its result arrived in the meantime.
            }
        }

        return count;
    }

    /// <summary>Drops an open or interrupted trial; a result that arrives for it later is rejected.</summary>
    public Trial Delete(long trialId) => Finish(trialId, new TrialDeleted(trialId, _time.GetUtcNow()), checkValues: false);

    /// <summary>Drops every open and interrupted trial; returns how many.</summary>
    public int DeleteOpen()
    {
        var count = 0;
        foreach (var trial in OpenSuggestions())
        {
            try
            {
                Delete(trial.Id);
                count++;
            }
            catch (TrialStateException)
            {
                // Its result arrived in the meantime: that observation stands.
            }
        }

        return count;
    }

    /// <summary>
    /// Stops handing out work (a walltime signal): from now on <see cref="Suggest(string)"/> answers Finished with
    /// <paramref name="reason"/>, while results of trials still running are recorded as usual. Not journaled.
    /// </summary>
    public void StopHandingOut(string reason)
    {
        // First, without the lock: a suggestion being computed under it (a model that takes long) ends now, instead
        // of holding up the signal handler that called this until it is done.
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        _stopping.Cancel();
        lock (_lock)
        {
            Signal(); // workers waiting for a free slot learn that none will come
        }
    }

    /// <summary>Cancelled by <see cref="StopHandingOut"/>: suggestions computed ahead of time for this study are no longer wanted.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// <paramref name="worker"/> is still evaluating trial <paramref name="trialId"/>: renews its lease when the trial is
    /// still the worker's, and says whether to go on.
    /// </summary>
    /// <exception cref="TrialStateException">There is no such trial.</exception>
    public HeartbeatAnswer Heartbeat(long trialId, string worker)
    {
        lock (_lock)
        {
            var trial = _state.Find(trialId) ?? throw new TrialStateException(trialId, $"no trial {trialId} (ids run 1..{_state.Trials.Count})");
            if (TrialTransitions.IsFinal(trial.State))
            {
                return HeartbeatAnswer.Finished;
            }

            if (trial.State != TrialState.Open || trial.Worker != worker)
            {
                return HeartbeatAnswer.Reassigned;
            }

            _leases?.Renew(trialId, _time.GetUtcNow());
            return HeartbeatAnswer.Renewed;
        }
    }

    /// <summary>
    /// Interrupts every open trial whose lease has run out (see <see cref="TunerOptions.LeasePeriod"/>), so it is the
    /// next one handed out; returns those trials. Without leases, does nothing.
    /// </summary>
    public IReadOnlyList<Trial> ExpireLeases()
    {
        if (_leases is null)
        {
            return [];
        }

        List<(long Id, string Reason)> due;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            due = [.. _state.Trials.Where(t => t.State == TrialState.Open).Select(t => (t.Id, Reason: _leases.Expiry(t, now))).Where(x => x.Reason is not null).Select(x => (x.Id, x.Reason!))];
        }

        var expired = new List<Trial>(due.Count);
        foreach (var (id, reason) in due)
        {
            try
            {
                expired.Add(Release(id, reason));
                _logger.LeaseExpired(id, reason);
            }
            catch (TrialStateException)
            {
                // Its result arrived in the meantime.
            }
        }

        return expired;
    }

    /// <summary>Changes the observation budget; it may not go below the completed count.</summary>
    public void SetObservationBudget(int observationBudget)
    {
        lock (_lock)
        {
            if (observationBudget < Math.Max(1, _state.CompletedCount))
            {
                throw new ArgumentOutOfRangeException(nameof(observationBudget), observationBudget,
                    $"the budget cannot go below the {_state.CompletedCount} observations already completed");
            }

            Commit(new BudgetChanged(observationBudget, _time.GetUtcNow()));
        }
    }

    /// <summary>A task that completes at the next change of the study (a suggestion, result, release, ...).</summary>
    public Task WaitForChangeAsync()
    {
        lock (_lock)
        {
            return _changed.Task;
        }
    }

    /// <summary>
    /// Runs the study to its end with <paramref name="workers"/> concurrent tasks in this process (Orion's
    /// <c>workon</c>): each asks for a trial, evaluates <paramref name="objective"/>, and reports. An exception
    /// or a non-finite value from the objective makes a Failed trial with the message. On cancellation the
    /// trials being evaluated are released (Interrupted) and <see cref="OperationCanceledException"/> is thrown.
    /// The objective gets a token that is cancelled then, or when its trial was finished elsewhere (lease lost); one
    /// that ignores it is not waited for: it goes on in the background and its result is dropped.
    /// </summary>
    public async Task<StudySummary> OptimizeAsync(IObjective objective, int workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        return await new ThreadTransport(objective, workers, _logger).ServeAsync(new WorkerHub(this, _logger), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an objective's result for a trial, turning an invalid one into a failure with the reason.</summary>
    public Trial Report(long trialId, ObjectiveResult result)
    {
        if (result.IsFailure)
        {
            return Fail(trialId, result.FailureReason!, result.Metadata);
        }

        string? problem;
        lock (_lock)
        {
            problem = _state.CheckValues(result.Values!);
        }

        return problem is null ? Observe(trialId, result.Values!, result.Metadata) : Fail(trialId, $"invalid result: {problem}", result.Metadata);
    }

    private Trial Finish(long trialId, StudyEvent finishing, bool checkValues)
    {
        Trial trial;
        StudyProgress progress;
        lock (_lock)
        {
            if (checkValues && _state.CheckValues(((TrialObserved)finishing).Values) is { } problem)
            {
                throw new ArgumentException($"trial {trialId}: {problem}");
            }

            Commit(finishing);
            if (finishing is not TrialInterrupted)
            {
                _seriesTrials = -1; // a result, a failure or a deletion: the next new trial starts a new series
            }

            trial = _state.Find(trialId)!;
            progress = _state.Progress;
        }

        if (trial.State == TrialState.Failed)
        {
            _logger.TrialFailed(trial.Id, trial.Reason);
        }

        TrialFinished?.Invoke(this, new TrialFinishedEventArgs(trial, progress));
        return trial;
    }

    /// <summary>
    /// The sampler's next assignment. New trials asked for one after another, with no other trial created and no
    /// trial completed, failed or deleted in between (a burst of idle workers; an interruption keeps the trial
    /// pending, so it does not count), come from one <see cref="ISampler.SuggestSeries"/>, so a
    /// model shares its work between them; otherwise a new series starts, whose first assignment is the sampler's
    /// <see cref="ISampler.Suggest"/> — so a worker that reports and asks again gets what it got before series existed.
    /// Letting a series run 8 or 32 results behind was measured (64 ranks, GP): a burst's ranks got their suggestion
    /// sooner (median 1.5 ms instead of 13–16 ms after their result) but utilization did not move (docs/mpi.md).
    /// </summary>
    private Assignment NextFromSampler()
    {
        var continuing = _series is not null && _seriesTrials == _state.Trials.Count;
        _seriesTrials = -1; // until the trial is committed: a failed commit must not look like the series' own trial
        if (continuing && _series!.MoveNext())
        {
            return _series.Current;
        }

        _series?.Dispose();
        _series = null; // a sampler that throws below leaves no series to go on with
        var series = _sampler.SuggestSeries(new StudyView(_state, _seed, _stopping.Token)).GetEnumerator();
        _series = series;
        return series.MoveNext() ? series.Current : throw new InvalidOperationException($"the {_sampler.Name} sampler's series of suggestions was empty");
    }

    /// <summary>
    /// The sampler's next assignment for trial <paramref name="trialId"/>; null when a stop cut it short. Whatever the
    /// sampler throws is logged and this one suggestion is a Sobol point instead (a random one beyond Sobol's
    /// dimensions) that no trial has had: a sampler's bug or a model that cannot be built never ends a study, and the
    /// sampler is asked again for the next trial. Every transport's new trials come through here.
    /// </summary>
    private Assignment? SamplerOrFallback(long trialId)
    {
        try
        {
            return NextFromSampler();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            DropSeries();
            return null;
        }
#pragma warning disable CA1031 // any failure of a sampler, whatever its type, is survived by the fallback
        catch (Exception e)
#pragma warning restore CA1031
        {
            DropSeries();
            _fallback ??= _state.Definition.Space.Dimension <= SobolSequence.MaxDimension ? new SobolSampler() : new RandomSampler();
            _logger.SamplerFailed(_sampler.Name, trialId, _fallback.Name, e);
            var view = new StudyView(_state, _seed);
            return _fallback is SobolSampler sobol ? sobol.Suggest(view, _state.Trials.Select(t => t.Assignment).ToHashSet()) : _fallback.Suggest(view);
        }
    }

    private void DropSeries()
    {
        var series = _series;
        _series = null;
        _seriesTrials = -1;
        try
        {
            series?.Dispose();
        }
#pragma warning disable CA1031 // a broken series is dropped whatever its disposal throws
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void Commit(StudyEvent e)
    {
        if (_state.Check(e) is { } problem)
        {
            throw new TrialStateException(StudyState.TrialIdOf(e), problem);
        }

        _sink?.Append(e);
        _state.Apply(e);
        _leases?.Track(e);
        Signal();
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private string FinishedReason() => _state.Status == StudyStatus.Completed
        ? $"the observation budget of {_state.Definition.ObservationBudget} is met"
        : $"the study is broken: {_state.FailedCount} failures reached max_failures = {_state.Definition.MaxFailures}";

    private static Dictionary<string, Scalar> CopyMetadata(IReadOnlyDictionary<string, Scalar>? metadata) =>
        metadata is null ? new Dictionary<string, Scalar>(StringComparer.Ordinal) : new Dictionary<string, Scalar>(metadata, StringComparer.Ordinal);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
