using System.Diagnostics;
using HpcTune.Mpi.Interop;
using HpcTune.Objectives;
using HpcTune.Transport;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;
using Microsoft.Extensions.Logging;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Rank 0: the MPI transport's master. The calling thread owns MPI: it polls with MPI_Iprobe and sleeps with
/// <see cref="Backoff"/> when idle, and turns each rank's messages into <see cref="WorkerHub"/> calls — a ready rank
/// joins, a result is recorded by the hub's rules, a leaving rank's trials go out again first — and hands each
/// waiting slot what the hub answers: a suggestion, or, when the study is done or a stop was asked for, a stop.
/// Answers are held until <c>commit</c> has made the round's journal records durable (group commit: one fsync per
/// round, and a rank's next message is the acknowledgement of its result).
/// With leases (<see cref="Tuner.HeartbeatInterval"/>) ranks heartbeat while they evaluate; a rank that falls silent
/// loses its trial to another rank, and a rank still evaluating a trial that was finished elsewhere is told to abandon it.
/// When the parallel bandwidth is at least twice the workers, each rank has ⌊bandwidth / workers⌋ slots (at most
/// <see cref="MaxSlots"/>): it holds that many suggestions, so objectives shorter than a round trip (the fsync before
/// every answer) do not leave it idle, and each round commits more results at once.
/// Once the study has ended, a rank silent for a whole lease (hung, or on a frozen node) is given up on
/// (<see cref="Unresponsive"/>) instead of being waited for forever.
/// </summary>
internal sealed class MpiMaster(MpiWorld world, string objectiveJson, Action commit, ILogger logger) : IWorkerTransport
{
    /// <summary>
    /// The most suggestions one rank holds at a time. Zero-cost objectives want many: 8 ranks dispatched 14,000/s with
    /// 16 slots each and 17,000/s with 64 (docs/mpi.md), because a round's cost per rank is mostly fixed.
    /// </summary>
    public const int MaxSlots = 64;

    /// <summary>
    /// How long answers may wait for the rest of their round: cheap suggestions (random, Sobol) still share one fsync
    /// per round, and one a model took milliseconds to compute goes out at once (an fsync costs ~0.1 ms here).
    /// </summary>
    private static readonly TimeSpan FlushAfter = TimeSpan.FromMilliseconds(2);

    private static readonly string RankGroup = WorkerId.Rank(0).Group;

    private readonly List<(int Rank, WireMessage Message)> _outbox = [];
    private readonly Stopwatch _allReady = new();
    private readonly HashSet<int> _active = [];
    private readonly Queue<(int Rank, int Slot)> _waiting = new();
    private readonly HashSet<int> _readyRanks = [];
    private readonly Dictionary<(int Rank, long TrialId), int> _held = [];

    /// <summary>Trials a report's answer stopped: a result the rank sent before the answer reached it is dropped quietly.</summary>
    private readonly HashSet<(int Rank, long TrialId)> _stopped = [];
    private readonly Dictionary<int, long> _lastHeard = [];
    private readonly List<int> _unresponsive = [];
    private int _slots = 1;
    private TimeSpan _cpuAtReady; // the process's CPU time when the summary's clock started
    private WorkerHub _hub = null!;
    private WorkerId[][] _ids = []; // by rank and slot: made once, not for every request

    /// <summary>
    /// Ranks given up on after the study ended: they will not reach MPI_Finalize, so the caller ends the job with
    /// MPI_Abort once everything is recorded.
    /// </summary>
    public IReadOnlyList<int> Unresponsive => _unresponsive;

    /// <summary>
    /// Tells every worker rank to stop before any study was served (the master could not start), so the job ends
    /// instead of waiting for rank 0 forever.
    /// </summary>
    public static void Refuse(MpiWorld world, string reason)
    {
        ArgumentNullException.ThrowIfNull(world);
        var refusal = MessageCodec.Encode(new StopMessage(reason));
        for (var rank = 1; rank < world.Size; rank++)
        {
            world.Send(refusal, rank, WireSends.Tag);
        }
    }

    /// <summary>
    /// Runs on the calling thread (MPI is FUNNELED to it) until every worker rank has been stopped or has left, and
    /// returns how the study stands; the task is complete when this returns. The summary's time starts when the last
    /// rank reported ready, so rank start-up (seconds for 64 runtimes on a few cores) is not counted. Once the hub
    /// stops handing out work ranks are stopped as they report; after <paramref name="abandoning"/> the ranks still
    /// evaluating are stopped too and their trials journaled as interrupted.
    /// </summary>
    public Task<StudySummary> ServeAsync(WorkerHub hub, CancellationToken abandoning) => Task.FromResult(Serve(hub, abandoning));

    private StudySummary Serve(WorkerHub hub, CancellationToken abandoning)
    {
        ArgumentNullException.ThrowIfNull(world);
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        var tuner = hub.Tuner;
        var clock = Stopwatch.StartNew();
        _cpuAtReady = Environment.CpuUsage.TotalTime;
        var welcome = MessageCodec.Encode(new WelcomeMessage(tuner.Definition, objectiveJson, tuner.HeartbeatInterval?.TotalSeconds));
        _slots = Math.Clamp(tuner.Definition.ParallelBandwidth / Math.Max(1, world.Size - 1), 1, MaxSlots);
        _ids = [.. Enumerable.Range(0, world.Size).Select(rank => Enumerable.Range(0, _slots).Select(slot => WorkerId.Rank(rank, slot)).ToArray())];
        for (var rank = 1; rank < world.Size; rank++)
        {
            _active.Add(rank);
            _lastHeard[rank] = Stopwatch.GetTimestamp();
            world.Send(welcome, rank, WireSends.Tag);
        }

        try
        {
            Loop(abandoning);
        }
        catch (Exception e)
        {
            // The journal cannot be written (disk full) or the master failed otherwise: nothing more can be recorded,
            // so no answer held for the round may go out. Every rank is told to stop (it kills its objectives); the
            // trials they hold stay open, and resume re-issues them. Otherwise the ranks would wait for the master
            // forever and MPI_Finalize with them.
            // A rank whose final stop was queued but never flushed has already left _active: it is told too.
            var unanswered = _outbox.Where(o => o.Message is StopMessage).Select(o => o.Rank);
            _outbox.Clear();
            var stop = MessageCodec.Encode(new StopMessage($"the master stopped: {e.Message}"));
            foreach (var rank in _active.Union(unanswered).ToList())
            {
                world.Send(stop, rank, WireSends.Tag);
            }

            _active.Clear();
            throw;
        }

        var elapsed = _allReady.IsRunning ? _allReady.Elapsed : clock.Elapsed;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var cpu = (Environment.CpuUsage.TotalTime - _cpuAtReady).TotalSeconds;
            logger.MasterCpu(cpu, elapsed.TotalSeconds, cpu / Math.Max(elapsed.TotalSeconds, 1e-9));
        }

        return tuner.Summary(elapsed);
    }

    /// <summary>Serves the ranks until every one has been stopped.</summary>
    private void Loop(CancellationToken abandoning)
    {
        var tuner = _hub.Tuner;
        var backoff = new Backoff(longestMilliseconds: 1); // results can arrive at any moment
        var leaseCheck = Stopwatch.StartNew();
        while (_active.Count > 0)
        {
            var progressed = false;
            while (world.TryReceive() is { } message)
            {
                progressed = true;
                Handle(message);
            }

            if (tuner.HeartbeatInterval is { } every && leaseCheck.Elapsed >= every)
            {
                _hub.ExpireLeases(); // an expired trial goes to the next rank that asks
                leaseCheck.Restart();
            }

            progressed |= AnswerWaiting();
            if (tuner.HeartbeatInterval is { } beat && tuner.Progress.Status != StudyStatus.Running)
            {
                GiveUpOnSilentRanks(4 * beat);
            }

            if (abandoning.IsCancellationRequested)
            {
                Abandon();
            }

            Flush();
            if (progressed)
            {
                backoff.Reset();
            }
            else
            {
                backoff.Wait();
            }
        }
    }

    /// <summary>
    /// Group commit: everything recorded so far reaches the disk before any rank hears back; then the answers go out,
    /// a rank's together in one MPI message (<see cref="BundleMessage"/>).
    /// </summary>
    private void Flush()
    {
        commit();
        if (_outbox.Count == 0)
        {
            return; // the loop flushes every turn: an idle one allocates nothing
        }

        foreach (var forRank in _outbox.GroupBy(o => o.Rank))
        {
            world.SendAll([.. forRank.Select(o => o.Message)], forRank.Key);
        }

        _outbox.Clear();
    }

    /// <summary>
    /// Gives each waiting slot work, in arrival order, and a rank with nothing left a stop; true if any was answered.
    /// Answers go out as soon as <see cref="FlushAfter"/> has passed since the last flush.
    /// </summary>
    private bool AnswerWaiting()
    {
        var answered = false;
        var sinceFlush = Stopwatch.StartNew();
        var group = new List<(int Rank, int Slot)>(_waiting.Count);
        while (_waiting.Count > 0)
        {
            // Every waiting slot asks in one call, so a turn's queue is one batch of the sampler, from one model state:
            // a model pays its fit, its open trials' fantasies and its candidate scoring once for the whole burst, and
            // each further suggestion of the batch costs a fantasy update. In groups of 8, each group paid all of it
            // again, and at 1,024 simulated workers the queue grew with every turn (docs/scale.md).
            group.Clear();
            foreach (var waiting in _waiting)
            {
                if (_active.Contains(waiting.Rank))
                {
                    group.Add(waiting);
                }
            }

            while (_waiting.Count > 0 && !_active.Contains(_waiting.Peek().Rank))
            {
                _waiting.Dequeue(); // already stopped
            }

            if (group.Count == 0)
            {
                break;
            }

            var outcomes = _hub.Request([.. group.Select(w => _ids[w.Rank][w.Slot])]);
            for (var i = 0; i < group.Count; i++)
            {
                var (rank, slot) = group[i];
                var outcome = outcomes[i];
                if (!_active.Contains(rank))
                {
                    continue; // stopped by the answer to an earlier slot of the group
                }

                if (outcome.Status == SuggestStatus.Wait)
                {
                    return answered; // bandwidth or budget: nobody gets new work until something changes
                }

                while (!_active.Contains(_waiting.Peek().Rank))
                {
                    _waiting.Dequeue();
                }

                _waiting.Dequeue(); // this slot: the head of the queue once the stopped ranks' slots are gone
                answered = true;
                if (outcome.Status == SuggestStatus.Issued)
                {
                    var trial = outcome.Trial!;
                    _held.TryAdd((rank, trial.Id), slot);
                    Send(rank, new SuggestionMessage(trial.Id, trial.Attempts, trial.Assignment, trial.Lineage, _hub.CheckpointPathsOf(trial)));
                }
                else if (!_held.Keys.Any(held => held.Rank == rank)) // only at the end: a scan is fine
                {
                    // After a stop request, ranks still evaluating report first; their results are recorded before they are stopped.
                    Send(rank, new StopMessage(outcome.Reason ?? "the study is finished"));
                    _active.Remove(rank);
                }
            }

            if (sinceFlush.Elapsed >= FlushAfter)
            {
                Flush();
                sinceFlush.Restart();
            }
        }

        return answered;
    }

    /// <summary>Stops waiting for ranks silent for a whole <paramref name="lease"/>; a stop is still sent, should one wake.</summary>
    private void GiveUpOnSilentRanks(TimeSpan lease)
    {
        foreach (var rank in _active.Where(r => Stopwatch.GetElapsedTime(_lastHeard[r]) >= lease).ToList())
        {
            logger.RankGivenUp(rank, Stopwatch.GetElapsedTime(_lastHeard[rank]).TotalSeconds);
            Send(rank, new StopMessage("the study ended while this rank was silent"));
            _active.Remove(rank);
            _unresponsive.Add(rank);
        }
    }

    /// <summary>The grace period is over: every rank still evaluating is stopped and its trial goes to the next job.</summary>
    private void Abandon()
    {
        foreach (var rank in _active)
        {
            Send(rank, new StopMessage("the master is stopping: the grace period for results in flight is over"));
        }

        _active.Clear();
        _hub.InterruptOpen("the master stopped before the result arrived");
    }

    private void Handle(MpiMessage message)
    {
        _lastHeard[message.Source] = Stopwatch.GetTimestamp();
        WireMessage decoded;
        try
        {
            decoded = MessageCodec.Decode(message.Data);
        }
        catch (FormatException e)
        {
            logger.BadMessage(message.Source, e.Message);
            return;
        }

        Handle(message.Source, decoded);
    }

    private void Handle(int source, WireMessage decoded)
    {
        switch (decoded)
        {
            case BundleMessage bundle:
                foreach (var inner in bundle.Messages)
                {
                    Handle(source, inner);
                }

                break;
            case MalformedMessage malformed:
                logger.BadMessage(source, malformed.Problem);
                break;
            case ReadyMessage ready when _active.Contains(source):
                // Sent again, it asks again for every slot: one that holds a trial gets it back (the rank ignores it).
                _readyRanks.Add(source);
                _hub.Join(_ids[source][0], new Dictionary<string, Scalar>(StringComparer.Ordinal) { ["hostname"] = ready.Host, ["rank"] = source });
                for (var free = 0; free < _slots; free++)
                {
                    _waiting.Enqueue((source, free));
                }

                if (_readyRanks.Count == world.Size - 1 && !_allReady.IsRunning)
                {
                    _allReady.Start();
                    _cpuAtReady = Environment.CpuUsage.TotalTime;
                }

                break;
            case ResultMessage result:
                if (_held.Remove((source, result.TrialId), out var slot))
                {
                    Record(source, slot, result);
                    _waiting.Enqueue((source, slot));
                }
                else if (!_stopped.Remove((source, result.TrialId)))
                {
                    logger.BadMessage(source, $"a result for trial {result.TrialId}, which this rank does not hold");
                }

                break;
            case ReportMessage report:
                Report(source, report);
                break;
            case HeartbeatMessage heartbeat:
                foreach (var trialId in heartbeat.TrialIds)
                {
                    Heartbeat(source, trialId);
                }

                break;
            case LeaveMessage leave when _active.Remove(source):
                // It sends nothing more and takes no answer: its slots stop waiting, its trials go out again first.
                foreach (var held in _held.Keys.Where(k => k.Rank == source).ToList())
                {
                    _held.Remove(held);
                }

                _outbox.RemoveAll(o => o.Rank == source);
                _hub.Leave(_ids[source][0], leave.Reason);
                break;
            default:
                logger.BadMessage(source, $"unexpected {decoded.GetType().Name} from a worker");
                break;
        }
    }

    /// <summary>
    /// Records a rank's report and answers it (after the round's commit, like every answer). A stop frees the trial's
    /// slot at once: it waits for work with the round's other slots, so the rank gets its next trial in the same
    /// bundle as the stop, and sends no result for the stopped one.
    /// </summary>
    private void Report(int rank, ReportMessage report)
    {
        if (!_held.TryGetValue((rank, report.TrialId), out var slot))
        {
            Send(rank, new ReportAnswerMessage(report.TrialId, report.Step, true, $"rank {rank} does not hold trial {report.TrialId}", false));
            return;
        }

        ReportAnswer answer;
        try
        {
            answer = _hub.Report(_ids[rank][slot], report.TrialId, report.Step, report.Values);
        }
        catch (TrialStateException e)
        {
            answer = new ReportAnswer(true, e.Message, false);
        }

        Send(rank, new ReportAnswerMessage(report.TrialId, report.Step, answer.Stop, answer.Reason, answer.Recorded));
        if (answer.Stop)
        {
            _held.Remove((rank, report.TrialId));
            _stopped.Add((rank, report.TrialId));
            _waiting.Enqueue((rank, slot));
        }
    }

    private void Heartbeat(int rank, long trialId)
    {
        if (!_held.TryGetValue((rank, trialId), out var slot))
        {
            return; // its result crossed the heartbeat
        }

        try
        {
            if (_hub.Heartbeat(_ids[rank][slot], trialId) is { } abandon)
            {
                Send(rank, new AbandonMessage(trialId, abandon.Reason));
            }
        }
        catch (TrialStateException e)
        {
            logger.BadMessage(rank, e.Message);
        }
    }

    private void Record(int rank, int slot, ResultMessage result)
    {
        var outcome = result.Failure is not null || result.Values is null
            ? ObjectiveResult.Failure(result.Failure ?? "the worker sent neither values nor a reason", result.Metadata)
            : ObjectiveResult.Success(result.Values, result.Metadata);
        if (_hub.Result(_ids[rank][slot], result.TrialId, outcome).Abandon is { } other)
        {
            if (other.Worker.Group == RankGroup && other.Worker.Number is { } holder)
            {
                Send(holder, new AbandonMessage(other.TrialId, other.Reason));
            }
        }
    }

    private void Send(int rank, WireMessage message) => _outbox.Add((rank, message));
}
