using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Trials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcTune.Tuning;

/// <summary>
/// The study service: hands out suggestions and records results, enforcing the budget, the parallel bandwidth
/// and the failure limit. Thread-safe; every change goes through one lock as an event that the sink (journal)
/// sees before it is applied. In-process workers (<see cref="OptimizeAsync(IObjective, int, CancellationToken)"/>) and MPI ranks call the same methods.
/// </summary>
/// <remarks>
/// This file holds the study's state and how a change is committed; each other concern has a file of its own:
/// handing out work (Tuner.Suggestions.cs, with <see cref="SuggestionRules"/> and <see cref="SuggestionSource"/>),
/// recording results (Tuner.Results.cs), leases and releases (Tuner.Leases.cs), draining (Tuner.Stopping.cs) and
/// the in-process runner (Tuner.InProcess.cs, <see cref="InProcessRun"/>).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "the stop token's source has no timer; a tuner lives as long as its study's run")]
public sealed partial class Tuner
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
    private readonly Scheduling.IEarlyStopping? _earlyStopping;
    private readonly string _checkpointRoot;
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
        _earlyStopping = options.EarlyStopping ?? Scheduling.EarlyStoppingRegistry.Default.Create(state.Definition);
        _checkpointRoot = Path.GetFullPath(options.CheckpointRoot ?? Directory.GetCurrentDirectory());
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

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
