using HpcTune.Sampling;
using HpcTune.Trials;

namespace HpcTune.Scheduling;

/// <summary>
/// Decides whether an open trial should stop early, from its reports and the other trials' (CONTRACTS.md §6). Like a
/// sampler it is pure: the same snapshot and trial give the same decision, so a resumed study decides alike. It is
/// asked under the study's lock after every report, so it must be quick; it may keep caches it can rebuild from a
/// snapshot alone, and is called by one thread at a time.
/// </summary>
public interface IEarlyStopping
{
    /// <summary>The rule's name as it appears in study JSON.</summary>
    string Name { get; }

    /// <summary>
    /// Whether <paramref name="trial"/> (open, its latest report last in <see cref="Trial.Reports"/>) should stop now.
    /// <paramref name="study"/> holds every trial, <paramref name="trial"/> among them.
    /// </summary>
    StopDecision Decide(StudySnapshot study, Trial trial);
}

/// <summary>An early stopping rule's answer for one report.</summary>
/// <param name="Stop">True: the trial ends Pruned with its last reported values.</param>
/// <param name="Reason">Why, in words, when it stops (journaled as the trial's reason).</param>
public readonly record struct StopDecision(bool Stop, string? Reason)
{
    /// <summary>Go on.</summary>
    public static StopDecision Continue => default;

    /// <summary>Stop, because of <paramref name="reason"/>.</summary>
    public static StopDecision StopBecause(string reason) => new(true, reason);
}
