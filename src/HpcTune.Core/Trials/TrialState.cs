namespace HpcTune.Trials;

/// <summary>
/// Life cycle of a trial. <c>Open</c> → <c>Completed</c> | <c>Failed</c> | <c>Interrupted</c> | <c>Deleted</c> | <c>Pruned</c>;
/// <c>Interrupted</c> → <c>Open</c> (handed out again) | <c>Completed</c> (a late result) | <c>Deleted</c>.
/// Completed, Failed, Deleted and Pruned are final.
/// </summary>
public enum TrialState
{
    /// <summary>Handed to a worker, result pending.</summary>
    Open,

    /// <summary>Observed with metric values.</summary>
    Completed,

    /// <summary>The evaluation failed; the reason is recorded.</summary>
    Failed,

    /// <summary>Its worker stopped or released it; it will be handed out again.</summary>
    Interrupted,

    /// <summary>Dropped by a user.</summary>
    Deleted,

    /// <summary>
    /// Stopped early (early stopping) with its last reported values; counts toward the observation budget like
    /// <see cref="Completed"/>, but is never best nor on the Pareto front.
    /// </summary>
    Pruned,
}

/// <summary>The allowed trial state transitions.</summary>
public static class TrialTransitions
{
    /// <summary>True when a trial in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool IsAllowed(TrialState from, TrialState to) => (from, to) switch
    {
        (TrialState.Open, TrialState.Completed or TrialState.Failed or TrialState.Interrupted or TrialState.Deleted or TrialState.Pruned) => true,
        (TrialState.Interrupted, TrialState.Open or TrialState.Completed or TrialState.Deleted) => true,
        _ => false,
    };

    /// <summary>True for states a trial never leaves.</summary>
    public static bool IsFinal(TrialState state) => state is TrialState.Completed or TrialState.Failed or TrialState.Deleted or TrialState.Pruned;
}
