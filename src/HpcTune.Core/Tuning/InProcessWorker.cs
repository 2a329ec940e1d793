using HpcTune.Objectives;
using HpcTune.Transport;
using HpcTune.Trials;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>
/// One worker thread of <see cref="ThreadTransport"/>: join, then ask, evaluate, report until the hub says the study
/// is finished, then leave. Written against <see cref="IWorkerHub"/> alone, so it runs the same against any hub.
/// </summary>
internal sealed class InProcessWorker(IWorkerHub hub, IObjective objective, WorkerId id, RunningEvaluations running, ILogger logger)
{
    /// <summary>How long the worker waits, as it leaves, for the objectives of stopped trials to end (MpiWorker's bound).</summary>
    private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(10);

    private readonly TransportFaults _faults = TransportFaults.Current;

    /// <summary>Evaluations of trials the study stopped, ending in the background.</summary>
    private readonly List<Task> _windingDown = [];
    private int _received;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        hub.Join(id, WorkerMetadata.Labels); // recorded with each result, as an MPI rank's host and rank are
        try
        {
            await LoopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            hub.Leave(id, "the run was cancelled"); // what it held goes out first in the next run
            throw;
        }
        finally
        {
            // The run does not end with a stopped trial's program still running (bounded: one that ignores its token
            // is left behind, as an MPI rank leaves it).
            await Task.WhenAll(_windingDown).WaitAsync(WindDown, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = hub.WaitForChangeAsync(); // taken before asking, so no change between the two is missed
            var outcome = hub.Request(id);
            if (_faults.RepeatRequests && outcome.Status == SuggestStatus.Issued)
            {
                outcome = hub.Request(id); // a retried request: the same trial again
            }

            switch (outcome.Status)
            {
                case SuggestStatus.Finished:
                    hub.Leave(id, outcome.Reason ?? "the study is finished");
                    return;
                case SuggestStatus.Wait:
                    await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    if (++_received == _faults.LeaveAt(id))
                    {
                        hub.Leave(id, $"{TransportFaults.Variable} says {id} leaves holding its trial {_received}");
                        return;
                    }

                    await EvaluateAsync(outcome.Trial!, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Heartbeats while <paramref name="evaluation"/> runs; cancels it when the trial was finished elsewhere.</summary>
    private async Task KeepLeaseAsync(long trialId, Task evaluation, CancellationTokenSource abandon)
    {
        if (hub.HeartbeatInterval is not { } every || _faults.IsMuted(id))
        {
            return;
        }

        while (await Task.WhenAny(evaluation, Task.Delay(every, hub.Time, CancellationToken.None)).ConfigureAwait(false) != evaluation)
        {
            if (hub.Heartbeat(id, trialId) is not null)
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
        var registration = running.Add(id, trial.Id, abandon);
        var reporter = new HubReporter(hub, id, abandon);
        Task<ObjectiveResult>? evaluation = null;
        try
        {
            var checkpoints = hub.CheckpointPathsOf(trial);
            if (checkpoints is not null)
            {
                CheckpointDirectories.Prepare(checkpoints); // an IOException fails the trial with the path in its reason
            }

            var context = new TrialContext(trial.Id, trial.Assignment, id.ToString(), trial.Attempts)
            {
                Lineage = trial.Lineage,
                CheckpointDirectory = checkpoints?.Directory,
                ParentCheckpointDirectory = checkpoints?.ParentDirectory,
                Reporter = reporter,
            };
            evaluation = objective.EvaluateAsync(context, abandon.Token).AsTask();
            await KeepLeaseAsync(trial.Id, evaluation, abandon).ConfigureAwait(false);
            // Not awaited past cancellation: an objective that ignores its token is left to finish in the background,
            // its result unwanted, instead of holding up the end of the run.
            result = await evaluation.WaitAsync(abandon.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the run is cancelled: RunAsync leaves, and the trial goes out first in the next run
        }
        catch (OperationCanceledException) when (reporter.Stopped && evaluation is not null)
        {
            // The trial is already Pruned with its last report; its objective, told to stop through its token, winds
            // down (a command: SIGTERM, then SIGKILL after the grace period) while this worker takes its next trial,
            // and is waited for before the worker leaves, as an MPI rank does.
            _windingDown.RemoveAll(t => t.IsCompleted);
            _windingDown.Add(evaluation);
            return;
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.Abandoned(trial.Id, id.ToString());
            }

            return;
        }
#pragma warning disable CA1031 // an objective's exception is a failed trial, whatever its type
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = ObjectiveResult.Failure($"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            registration.Dispose();
        }

        if (hub.Result(id, trial.Id, result).Abandon is { } order)
        {
            running.Abandon(order);
        }
    }

    /// <summary>An in-process trial's reports, straight to the hub; a stop also cancels the evaluation's token.</summary>
    private sealed class HubReporter(IWorkerHub hub, WorkerId id, CancellationTokenSource abandon) : ITrialReporter
    {
        private volatile bool _stopped;

        /// <summary>Whether the study answered stop: the evaluation's token was cancelled for that.</summary>
        public bool Stopped => _stopped;

        public async ValueTask<ReportAnswer> ReportAsync(long trialId, long atStep, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken)
        {
            var answer = hub.Report(id, trialId, atStep, values);
            if (answer.Stop)
            {
                _stopped = true;
                await abandon.CancelAsync().ConfigureAwait(false);
            }

            return answer;
        }
    }
}
