namespace HpcTune.Tuning;

/// <summary>Where a study stands.</summary>
public enum StudyStatus
{
    /// <summary>Fewer completed (or pruned) observations than the budget, and not broken.</summary>
    Running,

    /// <summary>The observation budget is met.</summary>
    Completed,

    /// <summary>Failures reached <c>max_failures</c>; no new suggestions are made.</summary>
    Broken,
}

/// <summary>Counts of a study's trials at one moment.</summary>
/// <param name="Completed">Completed observations.</param>
/// <param name="Failed">Failed observations.</param>
/// <param name="Open">Suggestions held by workers.</param>
/// <param name="Interrupted">Suggestions waiting to be handed out again.</param>
/// <param name="Budget">The observation budget.</param>
/// <param name="Status">Running, completed or broken.</param>
public readonly record struct StudyProgress(int Completed, int Failed, int Open, int Interrupted, int Budget, StudyStatus Status)
{
    /// <summary>Trials stopped early; with <see cref="Completed"/> they count toward <see cref="Budget"/>.</summary>
    public int Pruned { get; init; }
}
