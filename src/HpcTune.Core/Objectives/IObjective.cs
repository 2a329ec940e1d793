using HpcTune.Space;
using HpcTune.Trials;

namespace HpcTune.Objectives;

/// <summary>What an objective is told about the trial it evaluates.</summary>
/// <param name="TrialId">The trial's id.</param>
/// <param name="Assignment">The parameter values.</param>
/// <param name="Worker">The worker evaluating it.</param>
/// <param name="Attempt">1 on first issue, more when re-issued after an interruption.</param>
public sealed record TrialContext(long TrialId, Assignment Assignment, string Worker, int Attempt)
{
    /// <summary>Where the trial stands in a population (population based training), when its algorithm placed it in one.</summary>
    public TrialLineage? Lineage { get; init; }

    /// <summary>The directory the trial writes its checkpoint to (created, empty or holding its parent's files), when it has one.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>The checkpoint directory of the trial it continues from (read it, do not write it); null in a population's first generation.</summary>
    public string? ParentCheckpointDirectory { get; init; }

    /// <summary>Carries <see cref="ReportAsync"/> to the study; null where nobody listens (reports are then dropped).</summary>
    public ITrialReporter? Reporter { get; init; }

    /// <summary>
    /// Reports intermediate <paramref name="values"/> at <paramref name="step"/> (larger than the last report's). The
    /// answer says whether to go on: when <see cref="ReportAnswer.Stop"/> is true the trial already ended (Pruned with
    /// the values reported last) and the objective should return at once; what it returns then is not recorded.
    /// </summary>
    public ValueTask<ReportAnswer> ReportAsync(long step, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken = default) =>
        Reporter is null ? ValueTask.FromResult(ReportAnswer.Unheard) : Reporter.ReportAsync(TrialId, step, values, cancellationToken);
}

/// <summary>Carries a running trial's intermediate reports to its study, over whatever transport the worker uses.</summary>
public interface ITrialReporter
{
    /// <summary>Records the report of trial <paramref name="trialId"/> at step <paramref name="atStep"/> and says whether it should go on.</summary>
    ValueTask<ReportAnswer> ReportAsync(long trialId, long atStep, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken);
}

/// <summary>The study's answer to an intermediate report.</summary>
/// <param name="Stop">True: stop the trial now (it was pruned by early stopping, or is no longer this worker's).</param>
/// <param name="Reason">Why it stops, or why the report was not recorded.</param>
/// <param name="Recorded">True when the report is in the study.</param>
public readonly record struct ReportAnswer(bool Stop, string? Reason, bool Recorded)
{
    /// <summary>Recorded; go on.</summary>
    public static ReportAnswer Continue => new(false, null, true);

    /// <summary>Nobody listens to reports here: not recorded; go on.</summary>
    public static ReportAnswer Unheard => new(false, "reports are not recorded here", false);
}

/// <summary>
/// An expensive function to tune. A failure is a value (<see cref="ObjectiveResult.Failure"/>); an exception
/// thrown by <see cref="EvaluateAsync"/> is also recorded as a failed trial with its message, never lost.
/// </summary>
public interface IObjective
{
    /// <summary>Evaluates one trial; honours <paramref name="cancellationToken"/> when the study stops.</summary>
    ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken);
}
