using System.Diagnostics;
using HpcTune.Mpi.Interop;
using HpcTune.Mpi.Messages;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;
using Microsoft.Extensions.Logging;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Rank 0. The calling thread owns MPI: it polls with MPI_Iprobe and sleeps with <see cref="Backoff"/> when idle,
/// records every result through the tuner, hands each waiting rank a suggestion — interrupted ones first, as the
/// tuner does — or, when the study is done or a stop was asked for, a stop. Answers are held until
/// <c>commit</c> has made the round's journal records durable (group commit: one fsync per round, and a rank's next
/// message is the acknowledgement of its result). With <c>prepareAhead</c> (model-based samplers) a background task
/// keeps suggestions ready (<see cref="ReadySuggestions"/>), so a rank is not kept waiting by a model.
/// </summary>
public sealed class MpiMaster(MpiWorld world, Tuner tuner, string objectiveJson, Action commit, bool prepareAhead, ILogger logger)
{
    private readonly List<(int Rank, WireMessage Message)> _outbox = [];
    private readonly Stopwatch _allReady = new();

    /// <summary>
    /// Runs until every worker has been stopped; returns how the study stands. The summary's time starts when the
    /// last worker reported ready, so rank start-up (seconds for 64 runtimes on a few cores) is not counted.
    /// </summary>
    public StudySummary Run(CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(world);
        var clock = Stopwatch.StartNew();
        var welcome = MessageCodec.Encode(new WelcomeMessage(tuner.Definition, objectiveJson));
        var active = new HashSet<int>(Enumerable.Range(1, world.Size - 1));
        var waiting = new Queue<int>();
        var hosts = new Dictionary<int, string>();
        foreach (var rank in active)
        {
            world.Send(welcome, rank, MessageCodec.Tag);
        }

        var backoff = new Backoff(longestMilliseconds: 1); // results can arrive at any moment
        using var ready = prepareAhead ? new ReadySuggestions(tuner) : null;
        while (active.Count > 0)
        {
            var progressed = false;
            while (world.TryReceive() is { } message)
            {
                progressed = true;
                Handle(message, waiting, hosts);
            }

            while (waiting.Count > 0)
            {
                var rank = waiting.Peek();
                if (stop.IsCancellationRequested)
                {
                    Send(rank, new StopMessage("the master was asked to stop"));
                }
                else
                {
                    var outcome = tuner.Suggest($"rank-{rank}", ready?.TryTake());
                    if (outcome.Status == SuggestStatus.Wait)
                    {
                        break; // bandwidth or budget: nobody gets new work until something changes
                    }

                    if (outcome.Status == SuggestStatus.Issued)
                    {
                        var trial = outcome.Trial!;
                        waiting.Dequeue();
                        Send(rank, new SuggestionMessage(trial.Id, trial.Attempts, trial.Assignment.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)));
                        progressed = true;
                        continue;
                    }

                    Send(rank, new StopMessage(outcome.Reason ?? "the study is finished"));
                }

                waiting.Dequeue();
                active.Remove(rank);
                progressed = true;
            }

            // After a stop request, ranks still evaluating report first; their results are recorded before they are stopped.
            // Group commit: everything recorded this round reaches the disk before any rank hears back.
            commit();
            foreach (var (rank, message) in _outbox)
            {
                world.Send(MessageCodec.Encode(message), rank, MessageCodec.Tag);
            }

            _outbox.Clear();
            if (progressed)
            {
                backoff.Reset();
            }
            else
            {
                backoff.Wait();
            }
        }

        return new StudySummary(tuner.Progress, tuner.Best, _allReady.IsRunning ? _allReady.Elapsed : clock.Elapsed);
    }

    private void Handle(MpiMessage message, Queue<int> waiting, Dictionary<int, string> hosts)
    {
        WireMessage decoded;
        try
        {
            decoded = MessageCodec.Decode(message.Data);
        }
        catch (FormatException e)
        {
            logger.BadMessage(message.Source, e.Message);
            waiting.Enqueue(message.Source); // the rank waits for an answer either way
            return;
        }

        switch (decoded)
        {
            case ReadyMessage ready:
                hosts[message.Source] = ready.Host;
                waiting.Enqueue(message.Source);
                if (hosts.Count == world.Size - 1)
                {
                    _allReady.Start();
                }

                break;
            case ResultMessage result:
                Record(message.Source, result, hosts.GetValueOrDefault(message.Source, "?"));
                waiting.Enqueue(message.Source);
                break;
            default:
                logger.BadMessage(message.Source, $"unexpected {decoded.GetType().Name} from a worker");
                waiting.Enqueue(message.Source);
                break;
        }
    }

    private void Record(int rank, ResultMessage result, string host)
    {
        var metadata = new Dictionary<string, Scalar>(result.Metadata, StringComparer.Ordinal)
        {
            ["hostname"] = host,
            ["rank"] = rank,
        };
        try
        {
            if (result.Failure is { } failure || result.Values is null)
            {
                tuner.Fail(result.TrialId, result.Failure ?? "the worker sent neither values nor a reason", metadata);
            }
            else
            {
                tuner.Report(result.TrialId, Objectives.ObjectiveResult.Success(result.Values, metadata));
            }
        }
        catch (TrialStateException e)
        {
            logger.ResultDropped(rank, result.TrialId, e.Message);
        }
    }

    private void Send(int rank, WireMessage message) => _outbox.Add((rank, message));
}
