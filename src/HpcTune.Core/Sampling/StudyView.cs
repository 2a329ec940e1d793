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
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        Seed = seed;
    }

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

    /// <summary>The objective metric's value of a completed trial.</summary>
    public double Objective(Trial trial) => _state.Objective(trial);
}
