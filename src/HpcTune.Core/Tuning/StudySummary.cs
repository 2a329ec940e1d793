using HpcTune.Trials;

namespace HpcTune.Tuning;

/// <summary>How a study run ended.</summary>
/// <param name="Progress">The final counts.</param>
/// <param name="Best">The best feasible completed trial, or null.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record StudySummary(StudyProgress Progress, Trial? Best, TimeSpan Elapsed);

/// <summary>A trial reached a final state or was interrupted.</summary>
public sealed class TrialFinishedEventArgs(Trial trial, StudyProgress progress) : EventArgs
{
    /// <summary>The trial after the change.</summary>
    public Trial Trial { get; } = trial;

    /// <summary>The study's counts right after the change.</summary>
    public StudyProgress Progress { get; } = progress;
}
