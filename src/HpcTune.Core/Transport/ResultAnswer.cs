namespace HpcTune.Transport;

/// <summary>What became of a result a worker sent (<see cref="IWorkerHub.Result"/>).</summary>
/// <param name="Recorded">True when the result is in the study (a completion, or a failure).</param>
/// <param name="Problem">Why it was dropped, when it was not recorded.</param>
/// <param name="Abandon">
/// Another worker evaluating the same trial (it was handed out again after this worker's lease ran out) that should
/// stop: the transport delivers it.
/// </param>
public readonly record struct ResultAnswer(bool Recorded, string? Problem, AbandonOrder? Abandon)
{
    /// <summary>A result that does not count, and why.</summary>
    public static ResultAnswer Dropped(string problem) => new(false, problem, null);

    /// <summary>True when the trial had already been stopped early (Pruned): its result is not wanted, and that is no fault.</summary>
    public bool Pruned { get; init; }
}
