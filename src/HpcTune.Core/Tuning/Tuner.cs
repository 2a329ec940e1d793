using System.Diagnostics;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Values;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcTune.Tuning;

/// <summary>
/// The study service: hands out suggestions and records results, enforcing the budget, the parallel bandwidth
/// and the failure limit. Thread-safe; every change goes through one lock as an event that the sink (journal)
/// sees before it is applied. In-process workers (<see cref="OptimizeAsync(IObjective, int, CancellationToken)"/>) and MPI ranks call the same methods.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "the stop token's source has no timer; a tuner lives as long as its study's run")]
public sealed class Tuner
{
    private readonly Lock _lock = new();
    private readonly StudyState _state;
    private readonly IStudyEventSink? _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _seed;
    private readonly LeaseBook? _leases;
    private readonly CancellationTokenSource _stopping = new(); // cancelled outside the lock: it ends a suggestion in progress
    private readonly SuggestionSource _source;
    private readonly CancellationTokenSource _mismatched = new(); // cancels the in-process workers' evaluations
    private ResultMismatchException? _mismatch;
    private TaskCompletionSource _changed = NewSignal();
    private string? _stopReason;

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
        _sink = options.Sink;
        _time = options.Time ?? TimeProvider.System;
        _logger = options.Logger ?? NullLogger.Instance;
        ArgumentOutOfRangeException.ThrowIfNegative(options.SuggestAhead, nameof(options));
        _source = new SuggestionSource(options.Sampler ?? AlgorithmRegistry.Default.CreateSampler(state.Definition), _logger, options.SuggestAhead);
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

    /// <summary>An immutable snapshot of the study now: what a sampler sees.</summary>
    public StudySnapshot Snapshot()
    {
        lock (_lock)
        {
            return _state.Snapshot();
        }
    }

    /// <summary>A copy of the study's state now (for tests).</summary>
    internal StudyState CopyState()
    {
        lock (_lock)
        {
            return _state.Clone();
        }
    }

    /// <summary>How many new trials got a suggestion computed ahead of their request (<see cref="TunerOptions.SuggestAhead"/>).</summary>
    public int SuggestionsServedAhead
    {
        get
        {
            lock (_lock)
            {
                return _source.ServedAhead;
            }
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
    /// from the sampler, as long as the bandwidth and the budget allow. A new suggestion is computed outside the
    /// study's lock (results keep being recorded meanwhile), shared with the other workers asking at the same time.
    /// </summary>
    public SuggestOutcome Suggest(string worker) => Suggest([worker])[0];

    /// <summary>
    /// <see cref="Suggest(string)"/> for several workers at once: the new trials among them come from one batch of
    /// the sampler (<see cref="ISampler.Suggest"/> with their count), so a model shares its work between them.
    /// </summary>
    public IReadOnlyList<SuggestOutcome> Suggest(IReadOnlyList<string> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        foreach (var worker in workers)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(worker, nameof(workers));
        }

        var outcomes = new SuggestOutcome?[workers.Count];
        var waited = 0;
        while (true)
        {
            SuggestionSource.Computation computation;
            bool mine;
            lock (_lock)
            {
                _source.DoneWaiting(waited);
                var needing = 0;
                for (var i = 0; i < workers.Count; i++)
                {
                    if (outcomes[i] is null && (outcomes[i] = TryAnswer(workers[i])) is null)
                    {
                        needing++;
                    }
                }

                if (needing == 0)
                {
                    StartAhead();
                    return [.. outcomes.Select(o => o!.Value)];
                }

                computation = _source.Join(_state, needing, out mine);
                waited = mine ? 0 : needing;
            }

            if (mine)
            {
                Run(computation);
            }
            else
            {
                computation.Done.Task.Wait(CancellationToken.None);
            }
        }
    }

    /// <summary>New trials wanted by requests waiting for a suggestion being computed (for tests).</summary>
    internal int SuggestionsAwaited
    {
        get
        {
            lock (_lock)
            {
                return _source.Waiting;
            }
        }
    }

    /// <summary>The answer for <paramref name="worker"/> now, or null when it needs a new suggestion that is not ready yet.</summary>
    private SuggestOutcome? TryAnswer(string worker)
    {
        var decision = SuggestionRules.Decide(_state, worker, _stopReason);
        if (decision.Outcome is { } answer)
        {
            return answer;
        }

        var now = _time.GetUtcNow();
        if (!decision.IsNewTrial)
        {
            Commit(new TrialReissued(decision.ReissueId, worker, now));
            return new SuggestOutcome(SuggestStatus.Issued, _state.Find(decision.ReissueId), null);
        }

        if (_source.TakeReady(_state) is not { } assignment)
        {
            return null;
        }

        var created = new TrialCreated(_state.Trials.Count + 1, assignment, worker, now);
        Commit(created);
        return new SuggestOutcome(SuggestStatus.Issued, _state.Find(created.TrialId), null);
    }

    /// <summary>Runs a computation outside the lock and makes its suggestions ready; wakes whoever waits for it.</summary>
    private void Run(SuggestionSource.Computation computation)
    {
        IReadOnlyList<Assignment>? made = null;
        try
        {
            made = _source.Compute(computation, _stopping.Token);
        }
        finally
        {
            lock (_lock)
            {
                _source.Finish(computation, made);
                Signal();
            }

            computation.Done.TrySetResult();
        }
    }

    /// <summary>Starts a background computation of suggestions ahead of requests when one is wanted (under the lock).</summary>
    private void StartAhead()
    {
        if (_source.Ahead(_state, _stopReason is not null) is { } computation)
        {
            _ = Task.Run(() => Run(computation), CancellationToken.None);
        }
    }

    /// <summary>
    /// Adds a trial of the user's: with <paramref name="values"/>, a completed observation (made elsewhere, say); without,
    /// a trial to evaluate, handed out before any new suggestion. The assignment must be a point of the space and new to
    /// the study, and the budget must have room for it.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is missing, unknown, out of bounds, off its grid or not a listed category, or the values are not an observation of the study.</exception>
    /// <exception cref="DuplicateTrialException">A trial that is not deleted has the same assignment.</exception>
    /// <exception cref="InvalidOperationException">The budget has no room for another trial.</exception>
    public Trial Insert(Assignment assignment, IReadOnlyDictionary<string, double>? values = null)
    {
        lock (_lock)
        {
            var inserted = TrialInsertion.Prepare(_state, assignment, values, _time.GetUtcNow());
            Commit(inserted);
            return _state.Find(inserted.TrialId)!;
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

    /// <summary>Records intermediate values of open trial <paramref name="trialId"/> at <paramref name="step"/> (larger than its last report's).</summary>
    /// <exception cref="TrialStateException">The trial is not open, the step does not increase, or a value is unknown or not finite.</exception>
    public Trial ReportProgress(long trialId, long step, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var reported = new TrialReported(trialId, step, new Dictionary<string, double>(values, StringComparer.Ordinal), _time.GetUtcNow());
        lock (_lock)
        {
            Commit(reported);
            return _state.Find(trialId)!;
        }
    }

    /// <summary>Stops open trial <paramref name="trialId"/> early: it becomes Pruned with its last report's values and counts toward the budget.</summary>
    public Trial Prune(long trialId, string reason) =>
        Finish(trialId, new TrialPruned(trialId, string.IsNullOrWhiteSpace(reason) ? "pruned" : reason, _time.GetUtcNow()), checkValues: false);

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

    /// <summary>
    /// Set when an objective's result named metrics the study does not have or lacked an optimized one: the study
    /// stopped at once (<see cref="Report"/>); <see cref="OptimizeAsync(IObjective, int, CancellationToken)"/> throws it.
    /// </summary>
    public ResultMismatchException? ResultMismatch => Volatile.Read(ref _mismatch);

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
    public Task<StudySummary> OptimizeAsync(IObjective objective, int workers, CancellationToken cancellationToken = default) =>
        new InProcessRun(this, objective, workers, _logger).RunAsync(cancellationToken);

    /// <summary>Cancelled when a result's metric names do not match the study's: the in-process workers stop at once.</summary>
    internal CancellationToken Mismatched => _mismatched.Token;

    /// <summary>The summary of the study now, for a run that took <paramref name="elapsed"/>.</summary>
    internal StudySummary Summary(TimeSpan elapsed)
    {
        lock (_lock)
        {
            return new StudySummary(_state.Progress, _state.Best, elapsed);
        }
    }

    /// <summary>
    /// Runs the study to its end like <see cref="OptimizeAsync(IObjective, int, CancellationToken)"/> with a plain
    /// function that returns the objective metric's value; an exception it throws is a Failed trial.
    /// </summary>
    /// <example>
    /// <code>
    /// var tuner = new Tuner(StudyDefinitionJson.Load("study.json"));
    /// var summary = await tuner.OptimizeAsync(a => Math.Pow(a.GetDouble("x") - 0.5, 2), workers: 4);
    /// </code>
    /// </example>
    public Task<StudySummary> OptimizeAsync(Func<Assignment, double> objective, int workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return OptimizeAsync(Objective.FromFunction(Definition.Objective.Name, objective), workers, cancellationToken);
    }

    /// <summary>
    /// Runs the study to its end with an asynchronous function that returns the objective metric's value; its token is
    /// cancelled when the run is, or when its trial was finished elsewhere (see <see cref="OptimizeAsync(IObjective, int, CancellationToken)"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// var summary = await tuner.OptimizeAsync(async (a, ct) => await TrainAsync(a.GetDouble("lr"), ct), workers: 8);
    /// </code>
    /// </example>
    public Task<StudySummary> OptimizeAsync(Func<Assignment, CancellationToken, Task<double>> objective, int workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var metric = Definition.Objective.Name;
        return OptimizeAsync(Objective.FromAsync(async (trial, ct) => ObjectiveResult.Success(metric, await objective(trial.Assignment, ct).ConfigureAwait(false))), workers, cancellationToken);
    }

    /// <summary>
    /// Records an objective's result for a trial, turning an invalid value into a failure with the reason. A result
    /// whose metric names do not match the study's (<see cref="ResultMismatchException"/>) is no trial's failure but
    /// the objective's: the trial is interrupted, nothing more is handed out, in-process workers stop at once, and
    /// <see cref="ResultMismatch"/> says why.
    /// </summary>
    public Trial Report(long trialId, ObjectiveResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsFailure)
        {
            return Fail(trialId, result.FailureReason!, result.Metadata);
        }

        if (ResultMetricRule.Check(Definition, trialId, result.Values!) is { } mismatch)
        {
            return StopOnMismatch(mismatch);
        }

        string? problem;
        lock (_lock)
        {
            problem = _state.CheckValues(result.Values!);
        }

        return problem is null ? Observe(trialId, result.Values!, result.Metadata) : Fail(trialId, $"invalid result: {problem}", result.Metadata);
    }

    private Trial StopOnMismatch(ResultMismatchException mismatch)
    {
        Interlocked.CompareExchange(ref _mismatch, mismatch, null);
        StopHandingOut(mismatch.Message);
        try
        {
            return Release(mismatch.TrialId, mismatch.Message);
        }
        finally
        {
            _mismatched.Cancel();
        }
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

    private static Dictionary<string, Scalar> CopyMetadata(IReadOnlyDictionary<string, Scalar>? metadata) =>
        metadata is null ? new Dictionary<string, Scalar>(StringComparer.Ordinal) : new Dictionary<string, Scalar>(metadata, StringComparer.Ordinal);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
