using HpcTune.Space;

namespace HpcTune.Objectives;

/// <summary>What an objective is told about the trial it evaluates.</summary>
/// <param name="TrialId">The trial's id.</param>
/// <param name="Assignment">The parameter values.</param>
/// <param name="Worker">The worker evaluating it.</param>
/// <param name="Attempt">1 on first issue, more when re-issued after an interruption.</param>
public sealed record TrialContext(long TrialId, Assignment Assignment, string Worker, int Attempt);

/// <summary>
/// An expensive function to tune. A failure is a value (<see cref="ObjectiveResult.Failure"/>); an exception
/// thrown by <see cref="EvaluateAsync"/> is also recorded as a failed trial with its message, never lost.
/// </summary>
public interface IObjective
{
    /// <summary>Evaluates one trial; honours <paramref name="cancellationToken"/> when the study stops.</summary>
    ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken);
}
