using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Sampling;

/// <summary>What a sampler may see of a study: its definition, completed trials and the suggestions still pending.</summary>
public sealed class StudyView
{
    private readonly StudyState _state;

    /// <summary>A view over <paramref name="state"/>, valid while the caller holds the state still.</summary>
    public StudyView(StudyState state, long seed)
        : this(state, seed, CancellationToken.None)
    {
    }

    /// <summary>
    /// A view over <paramref name="state"/> whose suggestions are abandoned when <paramref name="cancellation"/> is
    /// cancelled (the run was asked to stop).
    /// </summary>
    public StudyView(StudyState state, long seed, CancellationToken cancellation)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        Seed = seed;
        Cancellation = cancellation;
    }

    /// <summary>
    /// Cancelled when the suggestion is no longer wanted (a stop signal): a sampler whose work takes long checks it in
    /// its loops and throws <see cref="OperationCanceledException"/>; the caller then hands out nothing.
    /// </summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The study definition.</summary>
    public StudyDefinition Definition => _state.Definition;

    /// <summary>The search space.</summary>
    public SearchSpace Space => _state.Definition.Space;

    /// <summary>The study's resolved seed.</summary>
    public long Seed { get; }

    /// <summary>How many trials exist (the next new one gets this index, 0-based).</summary>
    public int TrialsCreated => _state.Trials.Count;

    /// <summary>Completed trials in completion order.</summary>
    public IReadOnlyList<Trial> Completed => _state.CompletedTrials;

    /// <summary>Suggestions handed out or waiting to be handed out again, whose results are not in yet.</summary>
    public IEnumerable<Trial> Pending => _state.Trials.Where(t => t.State is TrialState.Open or TrialState.Interrupted);

    /// <summary>Trials whose evaluation failed, in id order.</summary>
    public IEnumerable<Trial> Failed => _state.Trials.Where(t => t.State == TrialState.Failed);

    /// <summary>The objective metric's value of a completed trial.</summary>
    public double Objective(Trial trial) => _state.Objective(trial);
}
