using System.Diagnostics;
using HpcTune.Sampling;
using HpcTune.Space;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>
/// Where every transport's new trials come from. A suggestion is computed outside the study's lock from an immutable
/// snapshot, for everyone waiting at once (one batch: a model shares its work between them), and becomes a trial only
/// while the study has not moved on in a way that makes it wrong: every trial created since its snapshot must be one
/// of the batch's own earlier suggestions (which it counted as pending), and at most <see cref="StaleLimit"/> results
/// may have arrived since (those trials were pending in its snapshot, so it is less informed, not wrong).
/// One computation runs at a time; requests that arrive meanwhile wait for it. With <c>ahead</c> &gt; 0 and a sampler
/// whose suggestions cost more than <see cref="AheadThreshold"/>, a background computation keeps that many ready, so
/// a free core works while workers evaluate. Random and Sobol, which cost microseconds a suggestion, run in place,
/// under the lock. Every member but <see cref="Compute"/> runs under the tuner's lock.
/// </summary>
internal sealed class SuggestionSource(ISampler sampler, ILogger logger, int ahead)
{
    /// <summary>Cheaper suggestions are computed when asked for: computing them ahead would only add stale ones.</summary>
    internal static readonly TimeSpan AheadThreshold = TimeSpan.FromMilliseconds(1);

    private readonly Queue<Ready> _ready = new();
    private long _generation; // bumped whenever ready suggestions (and those computed from a snapshot counting them) become invalid
    private Computation? _inFlight;
    private ISampler? _fallback;
    private TimeSpan _lastCost = TimeSpan.MaxValue; // unknown until a computation has run
    private int _measured; // computations whose cost was seen: the first one's includes compiling the sampler
    private int _waiting; // new trials wanted by requests waiting for the computation in flight

    /// <summary>The sampler the study's algorithm names.</summary>
    public ISampler Sampler => sampler;

    /// <summary>How many new trials got a suggestion computed ahead of their request.</summary>
    public int ServedAhead { get; private set; }

    /// <summary>
    /// The most results that may arrive between a suggestion's snapshot and its trial: the parallel bandwidth (at
    /// least 4), as many as the workers can deliver while a suggestion is computed for them.
    /// </summary>
    public static int StaleLimit(StudyState state) => Math.Max(4, state.Definition.ParallelBandwidth);

    /// <summary>The next ready suggestion if it is still right for the study's next trial; drops the ready ones otherwise.</summary>
    public Assignment? TakeReady(StudyState state)
    {
        while (_ready.TryPeek(out var item))
        {
            if (item.Generation == _generation && item.TrialId == state.Trials.Count + 1 && state.FinishedCount - item.Finished <= StaleLimit(state))
            {
                _ready.Dequeue();
                if (item.Ahead)
                {
                    ServedAhead++;
                }

                return item.Assignment;
            }

            Drop(); // every later item counted this one as pending
        }

        return null;
    }

    /// <summary>A trial was created from something else (an insert): what was computed without it is dropped.</summary>
    public void Drop()
    {
        _ready.Clear();
        _generation++;
    }

    /// <summary>
    /// The computation to wait for: the one in flight, or (<paramref name="mine"/>) a new one for
    /// <paramref name="demand"/> waiting requests that the caller runs with <see cref="Compute"/> outside the lock.
    /// </summary>
    /// <remarks>
    /// Every caller counts as waiting until it is back under the lock (<see cref="DoneWaiting"/>), the one that runs
    /// the computation too, so a computation begun meanwhile is made for all of them: requests that came in together
    /// share one batch.
    /// </remarks>
    public Computation Join(StudyState state, int demand, out bool mine)
    {
        mine = _inFlight is null;
        if (mine)
        {
            _inFlight = Begin(state, demand + _waiting, ahead: false);
        }

        _waiting += demand; // the one that runs it waits for an item too, until it is back
        return _inFlight!;
    }

    /// <summary>New trials wanted by requests waiting for a computation (or running it) that are not back yet.</summary>
    public int Waiting => _waiting;

    /// <summary>
    /// Whether the next computation may run in place, under the lock: none in flight and the sampler is Core's random
    /// or Sobol, whose suggestions cost microseconds, so handing them to a computation outside the lock costs more than
    /// they do (the MPI master's dispatch rate). A sampler's measured cost would not do: the GP's design points cost
    /// microseconds and the model fit right after them seconds.
    /// </summary>
    public bool CheapNow => _inFlight is null && sampler is RandomSampler or SobolSampler;

    /// <summary>Computes suggestions for <paramref name="demand"/> requests in place (see <see cref="CheapNow"/>).</summary>
    public void ComputeInPlace(StudyState state, int demand, CancellationToken stopping)
    {
        var computation = Begin(state, demand, ahead: false);
        Finish(computation, Compute(computation, stopping));
    }

    /// <summary>A caller of <see cref="Join"/> that waited is back: it no longer counts as waiting.</summary>
    public void DoneWaiting(int demand) => _waiting = Math.Max(0, _waiting - demand);

    /// <summary>
    /// A background computation to run now, or null: only with <c>ahead</c> &gt; 0, none in flight, the study
    /// running, fewer ready than wanted, and suggestions that cost enough to be worth it (never random or Sobol, which
    /// run in place: a first call slowed by compilation must not start computing ahead).
    /// </summary>
    public Computation? Ahead(StudyState state, bool stopping)
    {
        if (ahead <= 0 || _inFlight is not null || sampler is RandomSampler or SobolSampler || stopping || state.Status != StudyStatus.Running || _lastCost < AheadThreshold || _lastCost == TimeSpan.MaxValue
            || _ready.Count >= ahead || state.CommittedCount + _ready.Count >= state.Definition.ObservationBudget)
        {
            return null;
        }

        return _inFlight = Begin(state, ahead - _ready.Count, ahead: true);
    }

    /// <summary>
    /// Runs the sampler on the computation's snapshot, outside the lock. Null when a stop cut it short; whatever the
    /// sampler throws (or an empty answer) is logged and the computation gives one Sobol point (a random one beyond
    /// Sobol's dimensions) that no trial has had: a sampler's bug or a model that cannot be built never ends a study,
    /// and the sampler is asked again for the next trial.
    /// </summary>
    public IReadOnlyList<Assignment>? Compute(Computation computation, CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var made = sampler.Suggest(computation.Snapshot, computation.Count, stopping);
            if (made is null || made.Count == 0 || made.Any(a => a is null))
            {
                throw new InvalidOperationException($"the {sampler.Name} sampler returned no assignment for {computation.Count} requested");
            }

            computation.Cost = Stopwatch.GetElapsedTime(started) / made.Count;
            return made.Count > computation.Count ? [.. made.Take(computation.Count)] : made;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // any failure of a sampler, whatever its type, is survived by the fallback
        catch (Exception e)
#pragma warning restore CA1031
        {
            var snapshot = computation.Snapshot;
            _fallback ??= snapshot.Space.Dimension <= SobolSequence.MaxDimension ? new SobolSampler() : new RandomSampler();
            logger.SamplerFailed(sampler.Name, computation.FirstTrialId, _fallback.Name, e);
            var point = _fallback is SobolSampler sobol
                ? sobol.SuggestUntaken(snapshot, snapshot.Trials.Select(t => t.Assignment).ToHashSet())
                : _fallback.Suggest(snapshot, 1, CancellationToken.None)[0];
            computation.Cost = TimeSpan.Zero; // nothing worth computing ahead until the sampler works again
            return [point];
        }
    }

    /// <summary>Makes a finished computation's suggestions ready, unless the study moved on past them meanwhile.</summary>
    public void Finish(Computation computation, IReadOnlyList<Assignment>? made)
    {
        if (ReferenceEquals(_inFlight, computation))
        {
            _inFlight = null;
        }

        if (made is null)
        {
            return;
        }

        // A fallback says nothing of the sampler's cost, nor does the first computation, slowed by compiling the sampler:
        // a cheap sampler must not start computing ahead because its first call was slow.
        _lastCost = computation.Cost == TimeSpan.Zero || _measured++ == 0 ? TimeSpan.MaxValue : computation.Cost;
        if (computation.Generation != _generation)
        {
            return;
        }

        for (var i = 0; i < made.Count; i++)
        {
            _ready.Enqueue(new Ready(made[i], computation.FirstTrialId + i, computation.Finished, computation.Generation, computation.IsAhead));
        }
    }

    private Computation Begin(StudyState state, int count, bool ahead)
    {
        var snapshot = state.Snapshot();
        foreach (var item in _ready)
        {
            snapshot = snapshot.WithPending(item.Assignment); // they become the next trials first
        }

        var room = state.Definition.ObservationBudget - state.CommittedCount - _ready.Count;
        return new Computation(snapshot, Math.Max(1, Math.Min(count, room)), snapshot.TrialsCreated + 1, state.FinishedCount, _generation, ahead);
    }

    /// <summary>A suggestion computed for trial <c>TrialId</c> from a snapshot taken after <c>Finished</c> results.</summary>
    private sealed record Ready(Assignment Assignment, long TrialId, int Finished, long Generation, bool Ahead);

    /// <summary>One run of the sampler: its snapshot, how many it computes, and a task that completes when it is done.</summary>
    internal sealed class Computation(StudySnapshot snapshot, int count, long firstTrialId, int finished, long generation, bool isAhead)
    {
        public StudySnapshot Snapshot => snapshot;

        public int Count => count;

        public long FirstTrialId => firstTrialId;

        public int Finished => finished;

        public long Generation => generation;

        public bool IsAhead => isAhead;

        /// <summary>Time per suggestion (zero after a fallback).</summary>
        public TimeSpan Cost { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
