using HpcTune.Sampling;
using HpcTune.Trials;

namespace HpcTune.Search.Population;

/// <summary>
/// A study's trials arranged by generation and member (their lineage), as PBT reads them from a snapshot: for each
/// (generation, member) the trials of that segment in id order; the last one is the segment's current try. Trials
/// without a member and generation in range (inserted by a user) are not part of the population.
/// </summary>
internal sealed class PopulationView
{
    private readonly List<Trial>[][] _segments;

    public PopulationView(StudySnapshot snapshot, PbtOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _segments = [.. Enumerable.Range(0, options.Generations).Select(_ => Enumerable.Range(0, options.PopulationSize).Select(_ => new List<Trial>()).ToArray())];
        foreach (var trial in snapshot.Trials)
        {
            if (trial.Lineage is { Member: { } member, Generation: { } generation }
                && generation >= 0 && generation < options.Generations && member >= 0 && member < options.PopulationSize)
            {
                _segments[generation][member].Add(trial);
                LastGeneration = Math.Max(LastGeneration, generation);
            }
        }
    }

    /// <summary>The latest generation with any trial, or -1 before the first.</summary>
    public int LastGeneration { get; } = -1;

    /// <summary>The trials of <paramref name="member"/>'s segment in <paramref name="generation"/>, in id order.</summary>
    public IReadOnlyList<Trial> Tries(int generation, int member) => _segments[generation][member];

    /// <summary>The segment's current try, or null when none was planned yet.</summary>
    public Trial? Current(int generation, int member) => _segments[generation][member] is { Count: > 0 } tries ? tries[^1] : null;

    /// <summary>True when the segment's current try has a checkpoint and values: Completed (or Pruned, which pbt never asks for).</summary>
    public static bool IsDone(Trial? trial) => trial?.State is TrialState.Completed or TrialState.Pruned;

    /// <summary>True when the segment's current try ended without a result and must be planned again: Failed or Deleted.</summary>
    public static bool IsLost(Trial? trial) => trial?.State is TrialState.Failed or TrialState.Deleted;

    /// <summary>True when every member's current try in <paramref name="generation"/> is done.</summary>
    public bool IsComplete(int generation) => _segments[generation].All(tries => IsDone(tries.Count > 0 ? tries[^1] : null));
}
