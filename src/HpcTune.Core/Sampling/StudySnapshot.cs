using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Sampling;

/// <summary>
/// An immutable picture of a study at one moment: its definition and seed, every trial with its state, values and
/// bookkeeping, and the ones still pending. It is all a sampler sees, so a sampler's suggestions depend on the
/// study alone and a resumed study continues exactly.
/// </summary>
public sealed class StudySnapshot
{
    private readonly IReadOnlyList<Trial> _trials;
    private readonly IReadOnlyList<Trial> _completed;
    private Trial[]? _pending; // derived on first use: a sampler that never looks (random, Sobol) never pays the scan
    private Trial[]? _failed;

    /// <summary>A snapshot of <paramref name="trials"/> (in id order, ids 1..n) under <paramref name="definition"/>.</summary>
    /// <param name="definition">The study definition; its algorithm's seed must be resolved.</param>
    /// <param name="trials">Every trial, in id order.</param>
    /// <param name="completed">The completed trials in completion order (by default in id order).</param>
    public StudySnapshot(StudyDefinition definition, IEnumerable<Trial> trials, IEnumerable<Trial>? completed = null)
    {
        Definition = definition ?? throw new ArgumentNullException(nameof(definition));
        Seed = definition.Algorithm.Seed ?? throw new ArgumentException("the study's seed must be resolved", nameof(definition));
        Trial[] all = [.. trials ?? throw new ArgumentNullException(nameof(trials))];
        _trials = all;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i].Id != i + 1)
            {
                throw new ArgumentException($"trial ids must run 1..{all.Length} in order; position {i + 1} holds trial {all[i].Id}", nameof(trials));
            }
        }

        _completed = completed is null ? [.. all.Where(t => t.State == TrialState.Completed)] : [.. completed];
    }

    /// <summary>A snapshot over arrays that nothing else holds (a study state's copies): no checks, no copies.</summary>
    internal StudySnapshot(StudyDefinition definition, long seed, IReadOnlyList<Trial> trials, IReadOnlyList<Trial> completed)
    {
        Definition = definition;
        Seed = seed;
        _trials = trials;
        _completed = completed;
    }

    private StudySnapshot(StudySnapshot from, IReadOnlyList<Trial> trials, Trial[] pending)
    {
        Definition = from.Definition;
        Seed = from.Seed;
        _trials = trials;
        _completed = from._completed;
        _failed = from._failed;
        _pending = pending;
    }

    /// <summary>The study definition.</summary>
    public StudyDefinition Definition { get; }

    /// <summary>The search space.</summary>
    public SearchSpace Space => Definition.Space;

    /// <summary>The study's resolved seed (derive per-trial seeds with <see cref="Seeds"/>).</summary>
    public long Seed { get; }

    /// <summary>Every trial, in id order.</summary>
    public IReadOnlyList<Trial> Trials => _trials;

    /// <summary>How many trials exist: the next new trial is number <c>TrialsCreated + 1</c>.</summary>
    public int TrialsCreated => _trials.Count;

    /// <summary>Completed trials in completion order.</summary>
    public IReadOnlyList<Trial> Completed => _completed;

    /// <summary>Suggestions handed out or waiting to be handed out again, whose results are not in yet, in id order.</summary>
    public IReadOnlyList<Trial> Pending => PendingTrials;

    /// <summary>Trials whose evaluation failed, in id order.</summary>
    public IReadOnlyList<Trial> Failed => LazyInitializer.EnsureInitialized(ref _failed, () => [.. _trials.Where(t => t.State == TrialState.Failed)]);

    private Trial[] PendingTrials => LazyInitializer.EnsureInitialized(ref _pending, () => [.. _trials.Where(t => t.State is TrialState.Open or TrialState.Interrupted)]);

    /// <summary>The objective metric's value of a completed trial.</summary>
    public double Objective(Trial trial) =>
        trial?.Values is { } values && values.TryGetValue(Definition.Objective.Name, out var value) ? value : throw new ArgumentException("the trial has no value of the objective metric", nameof(trial));

    /// <summary>
    /// This snapshot with <paramref name="assignment"/> as one more pending trial (number <c>TrialsCreated + 1</c>):
    /// what the study will look like once a suggestion just made is handed out.
    /// </summary>
    public StudySnapshot WithPending(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var trial = new Trial
        {
            Id = _trials.Count + 1,
            Assignment = assignment,
            State = TrialState.Open,
            Worker = string.Empty,
            CompletedBefore = _completed.Count,
            CreatedAt = default,
            SuggestedAt = default,
        };
        var trials = _trials is Tuning.FrozenList<Trial> frozen ? frozen.Append(trial) : (IReadOnlyList<Trial>)[.. _trials, trial];
        return new StudySnapshot(this, trials, [.. PendingTrials, trial]);
    }

    /// <summary>
    /// <paramref name="count"/> suggestions made one at a time by <paramref name="suggest"/>, each from this snapshot with
    /// the ones before it pending: a sampler whose suggestions share no work implements
    /// <see cref="ISampler.Suggest"/> with this.
    /// </summary>
    public IReadOnlyList<Assignment> SuggestEach(int count, Func<StudySnapshot, Assignment> suggest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(suggest);
        var made = new Assignment[count];
        var snapshot = this;
        for (var i = 0; i < count; i++)
        {
            made[i] = suggest(snapshot);
            if (i + 1 < count)
            {
                snapshot = snapshot.WithPending(made[i]);
            }
        }

        return made;
    }
}
