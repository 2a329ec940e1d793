using HpcTune.Objectives;
using HpcTune.Trials;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>One worker of <see cref="Tuner.OptimizeAsync(Objectives.IObjective, int, CancellationToken)"/>: ask, evaluate, report, until the study ends.</summary>
internal sealed class InProcessWorker(Tuner tuner, IObjective objective, string name, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = tuner.WaitForChangeAsync(); // taken before asking, so no change between the two is missed
            var outcome = tuner.Suggest(name);
            switch (outcome.Status)
            {
                case SuggestStatus.Finished:
                    return;
                case SuggestStatus.Wait:
                    await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    await EvaluateAsync(outcome.Trial!, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Heartbeats while <paramref name="evaluation"/> runs; cancels it when the trial was finished elsewhere.</summary>
    private async Task KeepLeaseAsync(long trialId, Task evaluation, CancellationTokenSource abandon)
    {
        if (tuner.HeartbeatInterval is not { } every)
        {
            return;
        }

        while (await Task.WhenAny(evaluation, Task.Delay(every, tuner.Time, CancellationToken.None)).ConfigureAwait(false) != evaluation)
        {
            if (tuner.Heartbeat(trialId, name) == HeartbeatAnswer.Finished)
            {
                await abandon.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task EvaluateAsync(Trial trial, CancellationToken cancellationToken)
    {
        ObjectiveResult result;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var evaluation = objective.EvaluateAsync(new TrialContext(trial.Id, trial.Assignment, name, trial.Attempts), abandon.Token).AsTask();
            await KeepLeaseAsync(trial.Id, evaluation, abandon).ConfigureAwait(false);
            // Not awaited past cancellation: an objective that ignores its token is left to finish in the background,
            // its result unwanted, instead of holding up the end of the run.
            result = await evaluation.WaitAsync(abandon.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            tuner.Release(trial.Id, tuner.ResultMismatch is { } mismatch ? $"the study stopped: {mismatch.Message}" : "the run was cancelled");
            throw;
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            logger.Abandoned(trial.Id, name);
            return;
        }
#pragma warning disable CA1031 // an objective's exception is a failed trial, whatever its type
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = ObjectiveResult.Failure($"{e.GetType().Name}: {e.Message}");
        }

        try
        {
            tuner.Report(trial.Id, WorkerMetadata.AddHost(result));
        }
        catch (TrialStateException e)
        {
            // Deleted by a user while it ran: the result has nowhere to go.
            logger.ResultDropped(trial.Id, e.Message);
        }
    }
}
