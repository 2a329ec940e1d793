using System.Diagnostics;
using System.Globalization;
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
/// message is the acknowledgement of its result). Suggestions come from the tuner's suggestion source, which computes
/// them off the study's lock and, with <see cref="TunerOptions.SuggestAhead"/>, ahead of requests on a spare core.
/// With leases (<see cref="Tuner.HeartbeatInterval"/>) ranks heartbeat while they evaluate; a rank that falls silent
/// loses its trial to another rank, and a rank still evaluating a trial that was finished elsewhere is told to abandon it.
/// When the parallel bandwidth is at least twice the workers, each rank has ⌊bandwidth / workers⌋ slots (at most
/// <see cref="MaxSlots"/>): it holds that many suggestions, so objectives shorter than a round trip (the fsync before
/// every answer) do not leave it idle, and each round commits more results at once.
/// Once the study has ended, a rank silent for a whole lease (hung, or on a frozen node) is given up on
/// (<see cref="Unresponsive"/>) instead of being waited for forever.
/// </summary>
internal sealed class MpiMaster(MpiWorld world, Tuner tuner, string objectiveJson, Action commit, ILogger logger)
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

    /// <summary>
    /// How many waiting slots ask for work in one call: their new trials come from one batch, where a model pays its
    /// fit and candidate scoring once, yet the first of a burst of 63 does not wait for all 63 suggestions.
    /// </summary>
    private const int SuggestTogether = 8;

    private readonly List<(int Rank, WireMessage Message)> _outbox = [];
    private readonly Stopwatch _allReady = new();
    private readonly HashSet<int> _active = [];
    private readonly Queue<(int Rank, int Slot)> _waiting = new();
    private readonly Dictionary<int, string> _hosts = [];
    private readonly Dictionary<(int Rank, long TrialId), int> _held = [];
    private readonly Dictionary<int, long> _lastHeard = [];
    private readonly List<int> _unresponsive = [];
    private int _slots = 1;
    private TimeSpan _cpuAtReady; // the process's CPU time when the summary's clock started

    /// <summary>
    /// Ranks given up on after the study ended: they will not reach MPI_Finalize, so the caller ends the job with
    /// MPI_Abort once everything is recorded.
    /// </summary>
    public IReadOnlyList<int> Unresponsive => _unresponsive;

    /// <summary>
    /// Runs until every worker has been stopped; returns how the study stands. The summary's time starts when the
    /// last worker reported ready, so rank start-up (seconds for 64 runtimes on a few cores) is not counted.
    /// After <paramref name="draining"/> no new work goes out and ranks are stopped as they report; after
    /// <paramref name="abandoning"/> the ranks still evaluating are stopped too and their trials journaled as interrupted.
    /// </summary>
    public StudySummary Run(CancellationToken draining, CancellationToken abandoning)
    {
        ArgumentNullException.ThrowIfNull(world);
        var clock = Stopwatch.StartNew();
        _cpuAtReady = Environment.CpuUsage.TotalTime;
        var welcome = MessageCodec.Encode(new WelcomeMessage(tuner.Definition, objectiveJson, tuner.HeartbeatInterval?.TotalSeconds));
        _slots = Math.Clamp(tuner.Definition.ParallelBandwidth / Math.Max(1, world.Size - 1), 1, MaxSlots);
        for (var rank = 1; rank < world.Size; rank++)
        {
            _active.Add(rank);
            _lastHeard[rank] = Stopwatch.GetTimestamp();
            world.Send(welcome, rank, MessageCodec.Tag);
        }

        try
        {
            Loop(draining, abandoning);
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
                world.Send(stop, rank, MessageCodec.Tag);
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

        return new StudySummary(tuner.Progress, tuner.Best, elapsed);
    }

    /// <summary>Serves the ranks until every one has been stopped.</summary>
    private void Loop(CancellationToken draining, CancellationToken abandoning)
    {
        var trialsBefore = tuner.Trials.Count; // a resumed study's
        var servedBefore = tuner.SuggestionsServedAhead;
        var backoff = new Backoff(longestMilliseconds: 1); // results can arrive at any moment
        var leaseCheck = Stopwatch.StartNew();
        using var drain = draining.Register(() => tuner.StopHandingOut("the master was asked to stop"));
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
                tuner.ExpireLeases(); // an expired trial goes to the next rank that asks
                leaseCheck.Restart();
            }

            progressed |= AnswerWaiting();
            if (tuner.HeartbeatInterval is { } beat && tuner.Progress.Status != StudyStatus.Running)
            {
                GiveUpOnSilentRanks(4 * beat);
            }

            if (abandoning.IsCancellationRequested || tuner.ResultMismatch is not null)
            {
                Abandon(tuner.ResultMismatch?.Message ?? "the master is stopping: the grace period for results in flight is over");
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

        if (tuner.SuggestionsServedAhead > servedBefore && logger.IsEnabled(LogLevel.Information))
        {
            logger.PreparedServed(tuner.SuggestionsServedAhead - servedBefore, tuner.Trials.Count - trialsBefore);
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
    /// Answers go out as soon as <see cref="FlushAfter"/> has passed since the last flush: when 63 ranks finish
    /// together and a model computes each suggestion, the first rank then waits for its own suggestion, not for all 63.
    /// </summary>
    private bool AnswerWaiting()
    {
        var answered = false;
        var sinceFlush = Stopwatch.StartNew();
        var group = new List<(int Rank, int Slot)>(SuggestTogether);
        while (_waiting.Count > 0)
        {
            // The slots at the head of the queue ask together: their new trials come from one batch of the sampler.
            group.Clear();
            foreach (var waiting in _waiting)
            {
                if (group.Count == SuggestTogether)
                {
                    break;
                }

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

            var outcomes = tuner.Suggest([.. group.Select(w => WorkerName(w.Rank, w.Slot))]);
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
                    Send(rank, new SuggestionMessage(trial.Id, trial.Attempts, trial.Assignment.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)));
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

    /// <summary>
    /// The grace period is over, or a result did not match the study's metrics: every rank still evaluating is stopped
    /// and its trial goes to the next job.
    /// </summary>
    private void Abandon(string reason)
    {
        foreach (var rank in _active)
        {
            Send(rank, new StopMessage(reason));
        }

        _active.Clear();
        tuner.InterruptOpen("the master stopped before the result arrived");
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
            case ReadyMessage ready:
                _hosts[source] = ready.Host;
                for (var free = 0; free < _slots; free++)
                {
                    _waiting.Enqueue((source, free));
                }

                if (_hosts.Count == world.Size - 1 && !_allReady.IsRunning)
                {
                    _allReady.Start();
                    _cpuAtReady = Environment.CpuUsage.TotalTime;
                }

                break;
            case ResultMessage result:
                if (_held.Remove((source, result.TrialId), out var slot))
                {
                    Record(source, result);
                    _waiting.Enqueue((source, slot));
                }
                else
                {
                    logger.BadMessage(source, $"a result for trial {result.TrialId}, which this rank does not hold");
                }

                break;
            case HeartbeatMessage heartbeat:
                foreach (var trialId in heartbeat.TrialIds)
                {
                    Heartbeat(source, trialId);
                }

                break;
            default:
                logger.BadMessage(source, $"unexpected {decoded.GetType().Name} from a worker");
                break;
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
            if (tuner.Heartbeat(trialId, WorkerName(rank, slot)) == HeartbeatAnswer.Finished)
            {
                Send(rank, new AbandonMessage(trialId, $"trial {trialId} is already {tuner.GetTrial(trialId).State.ToString().ToLowerInvariant()}"));
            }
        }
        catch (TrialStateException e)
        {
            logger.BadMessage(rank, e.Message);
        }
    }

    private void Record(int rank, ResultMessage result)
    {
        var metadata = new Dictionary<string, Scalar>(result.Metadata, StringComparer.Ordinal)
        {
            ["hostname"] = _hosts.GetValueOrDefault(rank, "?"),
            ["rank"] = rank,
        };
        try
        {
            // A late result (its lease ran out and the trial went to another rank) counts if it is the first.
            var holder = tuner.GetTrial(result.TrialId) is { State: TrialState.Open } open && RankOf(open.Worker) != rank ? RankOf(open.Worker) : null;
            if (result.Failure is not null || result.Values is null)
            {
                if (holder is { } retrying)
                {
                    // The late rank failed, but the trial is running again elsewhere: that attempt decides.
                    logger.ResultDropped(rank, result.TrialId, $"a late failure ({result.Failure}) while rank {retrying} evaluates the trial again");
                    return;
                }

                tuner.Fail(result.TrialId, result.Failure ?? "the worker sent neither values nor a reason", metadata);
            }
            else
            {
                tuner.Report(result.TrialId, Objectives.ObjectiveResult.Success(result.Values, metadata));
            }

            if (holder is { } other)
            {
                Send(other, new AbandonMessage(result.TrialId, $"rank {rank} reported trial {result.TrialId} first"));
            }
        }
        catch (TrialStateException e)
        {
            logger.ResultDropped(rank, result.TrialId, e.Message);
        }
    }

    /// <summary>"rank-3" for a rank's first slot, "rank-3.1" for its second, and so on.</summary>
    private static string WorkerName(int rank, int slot) => slot == 0 ? $"rank-{rank}" : $"rank-{rank}.{slot}";

    private static int? RankOf(string worker)
    {
        if (!worker.StartsWith("rank-", StringComparison.Ordinal))
        {
            return null;
        }

        var digits = worker.AsSpan(5);
        var dot = digits.IndexOf('.');
        return int.TryParse(dot < 0 ? digits : digits[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var rank) ? rank : null;
    }

    private void Send(int rank, WireMessage message) => _outbox.Add((rank, message));
}
