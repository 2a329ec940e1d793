using HpcTune.Objectives;
using Microsoft.Extensions.Logging;

namespace HpcTune.Client;

/// <summary>The worker loop: suggest, evaluate while heartbeating, send the result, until the study is finished.</summary>
public sealed partial class ExperimentClient
{
    /// <summary>
    /// Evaluates trials with <paramref name="objective"/> (it returns the study's objective value) until the study is
    /// finished or <paramref name="maxTrials"/> trials were evaluated; returns how many were. See
    /// <see cref="WorkOnAsync(Func{RemoteTrial, CancellationToken, Task{ObjectiveResult}}, int?, CancellationToken)"/>.
    /// </summary>
    public Task<int> WorkOnAsync(Func<RemoteTrial, CancellationToken, Task<double>> objective, int? maxTrials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var metric = Definition?.Objective.Name
            ?? throw new InvalidOperationException("this client cannot read the study's definition, so it does not know the objective's name: return an ObjectiveResult with the metric named");
        return WorkOnAsync(async (trial, token) => ObjectiveResult.Success(metric, await objective(trial, token).ConfigureAwait(false)), maxTrials, cancellationToken);
    }

    /// <summary>
    /// Evaluates trials with <paramref name="objective"/>, as a worker rank of a run does (see the other overloads).
    /// Its <see cref="TrialContext"/> carries the trial's lineage and checkpoint directories (prepared first: emptied,
    /// then filled with a copy of the parent's files; the paths are the server's, so the file system must be shared),
    /// and a reporter that sends <see cref="TrialContext.ReportAsync"/> to the server: when the answer is to stop, the
    /// evaluation's token is cancelled too and nothing more is sent for the trial.
    /// </summary>
    public Task<int> WorkOnAsync(IObjective objective, int? maxTrials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return WorkOnAsync(
            (trial, stop, token) =>
            {
                var context = new TrialContext(trial.Id, trial.Parameters, Worker, 1)
                {
                    Lineage = trial.Lineage,
                    CheckpointDirectory = trial.CheckpointDirectory,
                    ParentCheckpointDirectory = trial.ParentCheckpointDirectory,
                    Reporter = new ClientReporter(this, stop),
                };
                if (trial.CheckpointDirectory is { } directory)
                {
                    CheckpointDirectories.Prepare(new Trials.TrialCheckpointPaths(directory, trial.ParentCheckpointDirectory)); // an IOException fails the trial, naming the path
                }

                return objective.EvaluateAsync(context, token).AsTask();
            },
            maxTrials,
            cancellationToken);
    }

    /// <summary>
    /// Evaluates trials until the study is finished (see the other overload); <paramref name="objective"/> may send
    /// intermediate results with <see cref="ReportAsync"/>: when the answer is to stop, return at once (what it
    /// returns then is acknowledged and dropped, the trial being pruned).
    /// </summary>
    public Task<int> WorkOnAsync(Func<RemoteTrial, CancellationToken, Task<ObjectiveResult>> objective, int? maxTrials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return WorkOnAsync((trial, _, token) => objective(trial, token), maxTrials, cancellationToken);
    }

    /// <summary>
    /// Evaluates trials until the study is finished (done, broken or stopped) or <paramref name="maxTrials"/> trials
    /// were evaluated; returns how many were. While <paramref name="objective"/> runs the trial is heartbeaten at the
    /// server's interval; when the server says the trial was finished elsewhere the evaluation is cancelled and its
    /// result dropped. An exception from <paramref name="objective"/> is sent as a failed trial with its message.
    /// Cancelling <paramref name="cancellationToken"/> releases the trial in hand (it goes out again first).
    /// </summary>
    private async Task<int> WorkOnAsync(Func<RemoteTrial, TrialStop, CancellationToken, Task<ObjectiveResult>> objective, int? maxTrials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (maxTrials is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTrials), maxTrials, "at least 1, or null for no limit");
        }

        var evaluated = 0;
        try
        {
            while (maxTrials is not { } most || evaluated < most)
            {
                var trials = await SuggestAsync(1, cancellationToken).ConfigureAwait(false);
                if (trials.Count == 0)
                {
                    break;
                }

                // Usually one; more when the server gives back trials this worker held before it restarted.
                foreach (var trial in trials)
                {
                    if (maxTrials is { } limit && evaluated >= limit)
                    {
                        await ReleaseAsync(trial.Id, "its worker reached its trial limit", cancellationToken).ConfigureAwait(false);
                    }
                    else if (await EvaluateAsync(trial, objective, cancellationToken).ConfigureAwait(false))
                    {
                        evaluated++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await LeaveQuietlyAsync().ConfigureAwait(false);
            throw;
        }

        return evaluated;
    }

    /// <summary>Evaluates one trial and sends its result; false when the evaluation was abandoned (a trial stopped early counts as evaluated).</summary>
    private async Task<bool> EvaluateAsync(RemoteTrial trial, Func<RemoteTrial, TrialStop, CancellationToken, Task<ObjectiveResult>> objective, CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var leaseEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stop = new TrialStop(abandon);
        // On the thread pool: an objective that computes before its first await must not hold up the heartbeats.
        var evaluation = Task.Run(() => objective(trial, stop, abandon.Token), CancellationToken.None);
        var lease = KeepLeaseAsync(trial.Id, abandon, leaseEnd.Token);
        ObjectiveResult result;
        try
        {
            // Not awaited past cancellation: an objective that ignores its token is left to finish in the background.
            result = await evaluation.WaitAsync(abandon.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // WorkOnAsync leaves, which releases the trial
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            if (stop.Reason is { } reason && _options.Logger is { } logger && logger.IsEnabled(LogLevel.Information))
            {
                logger.StoppedEarly(trial.Id, reason);
            }

            return stop.Reason is not null;
        }
#pragma warning disable CA1031 // an objective's exception is a failed trial, whatever its type
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = ObjectiveResult.Failure($"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            await leaseEnd.CancelAsync().ConfigureAwait(false);
            await lease.ConfigureAwait(false);
        }

        if (stop.Reason is { } stoppedBecause)
        {
            // Pruned already: what the objective returned after the stop is no result.
            if (_options.Logger is { } logger && logger.IsEnabled(LogLevel.Information))
            {
                logger.StoppedEarly(trial.Id, stoppedBecause);
            }

            return true;
        }

        await SendAsync(trial.Id, result, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Heartbeats trial <paramref name="trialId"/> until <paramref name="end"/>; cancels <paramref name="abandon"/> when the server says to.</summary>
    private async Task KeepLeaseAsync(long trialId, CancellationTokenSource abandon, CancellationToken end)
    {
        try
        {
            while (HeartbeatInterval is { } every)
            {
                await Task.Delay(every, end).ConfigureAwait(false);
                try
                {
                    var answer = await HeartbeatAsync(trialId, end).ConfigureAwait(false);
                    if (answer.Abandon)
                    {
                        Abandon(trialId, answer.Reason, abandon);
                        return;
                    }
                }
                catch (ServiceCallException e) when (e.Status == Grpc.Core.StatusCode.NotFound || e.IsConflict)
                {
                    Abandon(trialId, e.Message, abandon);
                    return;
                }
                catch (ServiceCallException e)
                {
                    // The evaluation goes on: the result is sent (and retried) when it is ready.
                    if (_options.Logger is { } logger && logger.IsEnabled(LogLevel.Warning))
                    {
                        logger.HeartbeatFailed(trialId, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // the evaluation ended
        }
    }

    private void Abandon(long trialId, string reason, CancellationTokenSource abandon)
    {
        if (_options.Logger is { } logger && logger.IsEnabled(LogLevel.Information))
        {
            logger.Abandoned(trialId, reason);
        }

        abandon.Cancel();
    }

    /// <summary>
    /// Sends a result. A refusal that concerns only this trial (finished elsewhere, deleted, the study finished
    /// meanwhile) is logged and the loop goes on; an unreachable server ends it.
    /// </summary>
    private async Task SendAsync(long trialId, ObjectiveResult result, CancellationToken cancellationToken)
    {
        ObserveOutcome outcome;
        try
        {
            outcome = result.FailureReason is { } reason
                ? await FailAsync(trialId, reason, result.Metadata, cancellationToken).ConfigureAwait(false)
                : await ObserveAsync(trialId, result.Values!, result.Metadata, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceCallException e) when (e is not ServiceUnreachableException && e.Status is Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.FailedPrecondition or Grpc.Core.StatusCode.Aborted or Grpc.Core.StatusCode.AlreadyExists)
        {
            outcome = new ObserveOutcome { Problem = e.Message };
        }

        if (_options.Logger is not { } logger)
        {
            return;
        }

        if (outcome.Pruned && logger.IsEnabled(LogLevel.Information))
        {
            logger.StoppedEarly(trialId, outcome.Problem);
        }
        else if (!outcome.Recorded && logger.IsEnabled(LogLevel.Warning))
        {
            logger.NotRecorded(trialId, outcome.Problem);
        }
        else if (outcome.Recorded && logger.IsEnabled(LogLevel.Information))
        {
            logger.Evaluated(trialId, result.FailureReason is { } failure ? $"failed: {failure}" : string.Join(", ", result.Values!.Select(p => $"{p.Key}={Values.Scalar.FormatNumber(p.Value)}")));
        }
    }

    /// <summary>On cancellation: releases what this worker holds, if the server answers soon.</summary>
    private async Task LeaveQuietlyAsync()
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await LeaveAsync(soon.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServiceCallException or OperationCanceledException)
        {
            // its lease runs out instead
        }
    }
}
