using HpcTune.Objectives;
using HpcTune.Trials;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>One worker of <see cref="Tuner.OptimizeAsync"/>: ask, evaluate, report, until the study ends.</summary>
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

    private async Task EvaluateAsync(Trial trial, CancellationToken cancellationToken)
    {
        ObjectiveResult result;
        try
        {
            result = await objective.EvaluateAsync(new TrialContext(trial.Id, trial.Assignment, name, trial.Attempts), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            tuner.Release(trial.Id, "the run was cancelled");
            throw;
        }
#pragma warning disable CA1031 // an objective's exception is a failed trial, whatever its type
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = ObjectiveResult.Failure($"{e.GetType().Name}: {e.Message}");
        }

        try
        {
            tuner.Report(trial.Id, result);
        }
        catch (TrialStateException e)
        {
            // Deleted by a user while it ran: the result has nowhere to go.
            logger.ResultDropped(trial.Id, e.Message);
        }
    }
}
