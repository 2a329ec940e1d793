using HpcTune.Objectives;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Tuning;

// The tuner, part: Recording results: observations, failures, intermediate reports, pruning, and results that do not fit the study.
public sealed partial class Tuner
{
    /// <summary>
    /// Set when an objective's result named metrics the study does not have or lacked an optimized one: the study
    /// stopped at once (<see cref="Report"/>); <see cref="OptimizeAsync(IObjective, int, CancellationToken)"/> throws it.
    /// </summary>
    public ResultMismatchException? ResultMismatch => Volatile.Read(ref _mismatch);

    /// <summary>Records the metric values of trial <paramref name="trialId"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite, the objective metric is missing, or a metric is unknown.</exception>
    /// <exception cref="TrialStateException">The trial does not exist or is not open or interrupted.</exception>
    public Trial Observe(long trialId, IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, Scalar>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var observed = new TrialObserved(trialId, new Dictionary<string, double>(values, StringComparer.Ordinal), CopyMetadata(metadata), _time.GetUtcNow());
        return Finish(trialId, observed, checkValues: true);
    }

    /// <summary>Records the objective metric's value of trial <paramref name="trialId"/>.</summary>
    public Trial Observe(long trialId, double objectiveValue, IReadOnlyDictionary<string, Scalar>? metadata = null) =>
        Observe(trialId, new Dictionary<string, double> { [Definition.Objective.Name] = objectiveValue }, metadata);

    /// <summary>Records that the evaluation of trial <paramref name="trialId"/> failed.</summary>
    /// <remarks>
    /// After <see cref="StopHandingOut"/> a failure is journaled as an interruption instead (the trial runs again in the
    /// next job): the signals of a walltime stop or a cancelled job kill evaluations too, and such a death must not
    /// count against <c>max_failures</c>.
    /// </remarks>
    public Trial Fail(long trialId, string reason, IReadOnlyDictionary<string, Scalar>? metadata = null)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? "failed (no reason given)" : reason;
        string? stopping;
        lock (_lock)
        {
            stopping = _stopReason;
        }

        StudyEvent finishing = stopping is null
            ? new TrialFailed(trialId, reason, CopyMetadata(metadata), _time.GetUtcNow())
            : new TrialInterrupted(trialId, $"failed while the run was stopping ({stopping}): {reason}", _time.GetUtcNow());
        return Finish(trialId, finishing, checkValues: false);
    }

    /// <summary>
    /// Records intermediate values of open trial <paramref name="trialId"/> at <paramref name="step"/> (larger than its
    /// last report's), then asks the study's early stopping rule: a trial it stops is Pruned with these values
    /// (the returned trial's state says so) and counts toward the budget.
    /// </summary>
    /// <exception cref="TrialStateException">The trial is not open, the step does not increase, or a value is unknown or not finite.</exception>
    public Trial ReportProgress(long trialId, long step, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var reported = new TrialReported(trialId, step, new Dictionary<string, double>(values, StringComparer.Ordinal), _time.GetUtcNow());
        Trial trial;
        StudyProgress progress;
        lock (_lock)
        {
            Commit(reported);
            trial = _state.Find(trialId)!;
            if (_earlyStopping is null || _stopReason is not null)
            {
                return trial;
            }

            var decision = _earlyStopping.Decide(_state.Snapshot(), trial);
            if (!decision.Stop)
            {
                return trial;
            }

            var reason = string.IsNullOrWhiteSpace(decision.Reason) ? $"stopped early by {_earlyStopping.Name}" : decision.Reason;
            Commit(new TrialPruned(trialId, reason, _time.GetUtcNow()));
            trial = _state.Find(trialId)!;
            progress = _state.Progress;
        }

        TrialFinished?.Invoke(this, new TrialFinishedEventArgs(trial, progress));
        return trial;
    }

    /// <summary>
    /// The absolute checkpoint directories of <paramref name="trial"/> and of its parent (relative ones resolved against
    /// <see cref="TunerOptions.CheckpointRoot"/>), or null when its lineage names none.
    /// </summary>
    public TrialCheckpointPaths? CheckpointPathsOf(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.Lineage?.CheckpointDirectory is not { } directory)
        {
            return null;
        }

        var parent = trial.Lineage.ParentTrialId is { } parentId ? GetTrial(parentId).Lineage?.CheckpointDirectory : null;
        return new TrialCheckpointPaths(Path.GetFullPath(directory, _checkpointRoot), parent is null ? null : Path.GetFullPath(parent, _checkpointRoot));
    }

    /// <summary>Stops open trial <paramref name="trialId"/> early: it becomes Pruned with its last report's values and counts toward the budget.</summary>
    public Trial Prune(long trialId, string reason) =>
        Finish(trialId, new TrialPruned(trialId, string.IsNullOrWhiteSpace(reason) ? "pruned" : reason, _time.GetUtcNow()), checkValues: false);

    /// <summary>
    /// Records an objective's result for a trial, turning an invalid value into a failure with the reason. A result
    /// whose metric names do not match the study's (<see cref="ResultMismatchException"/>) is no trial's failure but
    /// the objective's: the trial is interrupted, nothing more is handed out, in-process workers stop at once, and
    /// <see cref="ResultMismatch"/> says why.
    /// </summary>
    public Trial Report(long trialId, ObjectiveResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsFailure)
        {
            return Fail(trialId, result.FailureReason!, result.Metadata);
        }

        if (ResultMetricRule.Check(Definition, trialId, result.Values!) is { } mismatch)
        {
            return StopOnMismatch(mismatch);
        }

        string? problem;
        lock (_lock)
        {
            problem = _state.CheckValues(result.Values!);
        }

        return problem is null ? Observe(trialId, result.Values!, result.Metadata) : Fail(trialId, $"invalid result: {problem}", result.Metadata);
    }

    private Trial StopOnMismatch(ResultMismatchException mismatch)
    {
        Interlocked.CompareExchange(ref _mismatch, mismatch, null);
        StopHandingOut(mismatch.Message);
        try
        {
            return Release(mismatch.TrialId, mismatch.Message);
        }
        finally
        {
            _mismatched.Cancel();
        }
    }

    private Trial Finish(long trialId, StudyEvent finishing, bool checkValues)
    {
        Trial trial;
        StudyProgress progress;
        lock (_lock)
        {
            if (checkValues && _state.CheckValues(((TrialObserved)finishing).Values) is { } problem)
            {
                throw new ArgumentException($"trial {trialId}: {problem}");
            }

            Commit(finishing);
            trial = _state.Find(trialId)!;
            progress = _state.Progress;
        }

        if (trial.State == TrialState.Failed)
        {
            _logger.TrialFailed(trial.Id, trial.Reason);
        }

        TrialFinished?.Invoke(this, new TrialFinishedEventArgs(trial, progress));
        return trial;
    }

    private static Dictionary<string, Scalar> CopyMetadata(IReadOnlyDictionary<string, Scalar>? metadata) =>
        metadata is null ? new Dictionary<string, Scalar>(StringComparer.Ordinal) : new Dictionary<string, Scalar>(metadata, StringComparer.Ordinal);
}
