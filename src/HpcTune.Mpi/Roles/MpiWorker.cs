using System.Diagnostics;
using HpcTune.Mpi.Interop;
using HpcTune.Objectives;
using HpcTune.Transport;
using HpcTune.Values;
using Microsoft.Extensions.Logging;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Ranks 1..N−1: say ready, receive the study, then evaluate suggestions one at a time and send their results (those
/// that end together in one message), until told to stop. A rank may hold several suggestions (the master's prefetch,
/// when the bandwidth exceeds the workers): they wait in a queue. An evaluation runs off the MPI thread, which meanwhile keeps receiving, sends heartbeats for
/// every trial it holds, and obeys abandon (that trial is dropped, its evaluation cancelled — a command objective's
/// process tree is killed — and a result saying so frees its slot) and stop (everything is dropped; exit). Waiting is
/// MPI_Iprobe plus <see cref="Backoff"/>, never a blocking receive (which would busy-poll). An objective that throws,
/// or cannot even be built on this node, is reported as failed trials. A suggestion it already holds or held (the
/// master answered a repeated request) is ignored. An objective's progress reports (<see cref="TrialContext.ReportAsync"/>)
/// wake the MPI thread, which sends them and polls with the back-off until their answers come; a stop answer ends the
/// evaluation (its token is cancelled: a command gets SIGTERM, then SIGKILL after the grace) without a result, and the
/// next trial, which the master sends with the stop, starts at once while the stopped one winds down.
/// </summary>
internal sealed class MpiWorker
{
    /// <summary>
    /// How often the MPI thread looks for messages (an abandon, a stop) while an evaluation runs; it wakes at once when
    /// the evaluation ends, and in time for a heartbeat due sooner. Every wake-up is CPU the objectives of 63 ranks on
    /// 2 cores miss: 20 ms polls cost ~15 % more CPU in all than 250 ms ones (docs/mpi.md).
    /// </summary>
    private static readonly TimeSpan PollWhileEvaluating = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a cancelled evaluation may take to wind down before the rank moves on without it.</summary>
    private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(10);

    private readonly MpiWorld _world;
    private readonly Func<WelcomeMessage, IObjective> _createObjective;
    private readonly ILogger _logger;
    private readonly Backoff _backoff = new(longestMilliseconds: 2); // after a report the next suggestion is due within a commit
    private readonly LinkedList<SuggestionMessage> _queue = new();
    private readonly List<WireMessage> _finished = []; // reused: Advance runs on every poll
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<(long TrialId, int Attempt)> _received = [];
    private readonly TransportFaults _faults = TransportFaults.Current;
    private readonly WorkerId _id;
    private WelcomeMessage? _welcome;
    private IObjective? _objective;
    private string? _objectiveProblem;
    private Running? _running;
    private TimeSpan? _nextHeartbeat;

    /// <summary>Reports the objectives made, for the MPI thread to send (MPI is FUNNELED to it).</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingReport> _outgoingReports = new();

    /// <summary>Reports sent and not answered yet, in the order sent.</summary>
    private readonly List<PendingReport> _awaitingAnswers = [];

    /// <summary>Evaluations the study stopped early, ending in the background (a command's grace period).</summary>
    private readonly List<Running> _windingDown = [];

    /// <summary>Completed by an objective's report, so the MPI thread waiting on an evaluation sends it at once.</summary>
    private volatile TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MpiWorker(MpiWorld world, Func<WelcomeMessage, IObjective> createObjective, ILogger logger)
    {
        _world = world;
        _createObjective = createObjective;
        _logger = logger;
        _id = WorkerId.Rank(world.Rank);
    }

    private string Name => _id.ToString();

    /// <summary>Runs this rank's worker loop; <paramref name="createObjective"/> builds the objective from the welcome.</summary>
    public static void Run(MpiWorld world, Func<WelcomeMessage, IObjective> createObjective, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(createObjective);
        new MpiWorker(world, createObjective, logger).Loop();
    }

    private void Loop()
    {
        Send(new ReadyMessage(_world.ProcessorName, _world.Rank));
        while (true)
        {
            var progressed = false;
            while (Receive() is { } message)
            {
                progressed = true;
                if (!Handle(message))
                {
                    return;
                }
            }

            progressed |= SendReports();
            progressed |= Advance();
            Heartbeat();
            ForgetWoundDown();
            if (_awaitingAnswers.Count > 0)
            {
                // An answer is due within a round trip: look for it with the idle back-off, not every 250 ms.
                if (progressed)
                {
                    _backoff.Reset();
                }
                else
                {
                    _backoff.Wait();
                }
            }
            else if (_running is { } running)
            {
                Task.WaitAny([running.Evaluation, _wake.Task], UntilNextPoll());
            }
            else if (progressed)
            {
                _backoff.Reset();
            }
            else
            {
                _backoff.Wait();
            }
        }
    }

    private TimeSpan UntilNextPoll() => PollWait(_nextHeartbeat - _clock.Elapsed);

    /// <summary>
    /// <see cref="PollWhileEvaluating"/>, or less when a heartbeat is due in <paramref name="untilHeartbeat"/>; in whole
    /// milliseconds, at least one: <see cref="Task.WaitAny(Task[], TimeSpan)"/> drops fractions, and a wait of 0 would
    /// spin (a heartbeat due within a millisecond, or overdue).
    /// </summary>
    internal static TimeSpan PollWait(TimeSpan? untilHeartbeat) =>
        TimeSpan.FromMilliseconds(Math.Clamp(Math.Ceiling(untilHeartbeat?.TotalMilliseconds ?? double.MaxValue), 1, PollWhileEvaluating.TotalMilliseconds));

    /// <summary>Acts on one message; false on stop.</summary>
    private bool Handle(WireMessage message)
    {
        switch (message)
        {
            case BundleMessage bundle:
                return bundle.Messages.All(Handle); // a stop ends the rank; what follows it is moot
            case StopMessage:
                if (_running is { } running)
                {
                    WindUp(running);
                }

                WindUpStopped();
                return false;
            case WelcomeMessage welcome:
                Welcome(welcome);
                break;
            case SuggestionMessage suggestion when _welcome is not null:
                return Receive(suggestion);
            case MalformedMessage malformed:
                _logger.BadMessage(0, malformed.Problem);
                break;
            case AbandonMessage abandon:
                Abandon(abandon);
                break;
            case ReportAnswerMessage answer:
                Answer(answer);
                break;
            default:
                _logger.BadMessage(0, $"unexpected {message.GetType().Name} from the master");
                break;
        }

        return true;
    }

    /// <summary>Queues a suggestion not seen before; false when the rank leaves instead (a fault the tests inject).</summary>
    private bool Receive(SuggestionMessage suggestion)
    {
        if (!_received.Add((suggestion.TrialId, suggestion.Attempt)))
        {
            return true; // the answer to a repeated request: already queued, running or reported
        }

        if (_received.Count == _faults.LeaveAt(_id))
        {
            if (_running is { } running)
            {
                WindUp(running);
                _running = null;
            }

            WindUpStopped();
            Send(new LeaveMessage($"{TransportFaults.Variable} says {Name} leaves holding its trial {_received.Count}"));
            return false;
        }

        _queue.AddLast(suggestion);
        return true;
    }

    /// <summary>
    /// Reports finished evaluations and starts the next queued one; true if anything happened. Objectives that end at
    /// once (a built-in) run the whole queue here, and their results go to the master in one message.
    /// </summary>
    private bool Advance()
    {
        var progressed = Collect();
        if (_finished.Count > 0)
        {
            if (_faults.RepeatRequests)
            {
                _finished.Add(new ReadyMessage(_world.ProcessorName, _world.Rank)); // asks again for every slot
            }

            _world.SendAll(_finished, 0);
            _finished.Clear();
        }

        return progressed;
    }

    /// <summary>Collects the results of evaluations that ended (queued ones that end at once included) in <c>_finished</c>.</summary>
    private bool Collect()
    {
        var progressed = false;
        while (true)
        {
            if (_running is { } running)
            {
                if (!running.Evaluation.IsCompleted)
                {
                    return progressed;
                }

                var result = running.Evaluation.Result;
                _finished.Add(new ResultMessage(running.Suggestion.TrialId, result.Values, result.FailureReason, new Dictionary<string, Scalar>(result.Metadata, StringComparer.Ordinal), running.Clock.Elapsed.TotalSeconds));
                running.Dispose();
                _running = null;
                progressed = true;
            }

            if (_queue.First is not { } next)
            {
                return progressed;
            }

            _queue.RemoveFirst();
            _running = Start(next.Value);
            progressed = true;
        }
    }

    private void Abandon(AbandonMessage abandon)
    {
        if (_running is { } running && running.Suggestion.TrialId == abandon.TrialId)
        {
            WindUp(running);
            _running = null;
        }
        else if (_queue.FirstOrDefault(s => s.TrialId == abandon.TrialId) is { } queued)
        {
            _queue.Remove(queued);
        }
        else
        {
            return; // its result is already on its way
        }

        Send(new ResultMessage(abandon.TrialId, null, $"abandoned: {abandon.Reason}", new Dictionary<string, Scalar>(StringComparer.Ordinal), 0));
    }

    /// <summary>Every heartbeat period while trials are held: one message naming all of them.</summary>
    private void Heartbeat()
    {
        if (_welcome?.HeartbeatSeconds is not { } seconds || (_running is null && _queue.Count == 0) || _faults.IsMuted(_id))
        {
            _nextHeartbeat = null;
            return;
        }

        var every = TimeSpan.FromSeconds(seconds);
        _nextHeartbeat ??= _clock.Elapsed + every;
        if (_clock.Elapsed < _nextHeartbeat)
        {
            return;
        }

        List<long> held = [.. _queue.Select(s => s.TrialId)];
        if (_running is { } running)
        {
            held.Insert(0, running.Suggestion.TrialId);
        }

        Send(new HeartbeatMessage(held));
        _nextHeartbeat = _clock.Elapsed + every;
    }

    private WireMessage? Receive()
    {
        while (_world.TryReceive(0) is { } message)
        {
            try
            {
                return MessageCodec.Decode(message.Data);
            }
            catch (FormatException e)
            {
                _logger.BadMessage(0, e.Message);
            }
        }

        return null;
    }

    private void Send(WireMessage message) => _world.SendAll([message], 0);

    private void Welcome(WelcomeMessage welcome)
    {
        _welcome = welcome;
        try
        {
            _objective = _createObjective(welcome);
        }
#pragma warning disable CA1031 // whatever stops this node from evaluating becomes the failure reason of its trials
        catch (Exception e)
#pragma warning restore CA1031
        {
            _objectiveProblem = $"rank {_world.Rank} on {_world.ProcessorName} cannot evaluate: {e.Message}";
        }
    }

    /// <summary>Starts an evaluation as a task that never faults: exceptions become failed results.</summary>
    private Running Start(SuggestionMessage suggestion)
    {
        var abandon = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        Task<ObjectiveResult> evaluation;
        try
        {
            if (_objective is null)
            {
                evaluation = Task.FromResult(ObjectiveResult.Failure(_objectiveProblem ?? "no objective"));
            }
            else
            {
                var assignment = _welcome!.Study.Space.CreateAssignment(suggestion.Assignment);
                if (suggestion.Checkpoints is { } checkpoints)
                {
                    CheckpointDirectories.Prepare(checkpoints); // an IOException fails the trial with the path in its reason
                }

                var context = new TrialContext(suggestion.TrialId, assignment, Name, suggestion.Attempt)
                {
                    Lineage = suggestion.Lineage,
                    CheckpointDirectory = suggestion.Checkpoints?.Directory,
                    ParentCheckpointDirectory = suggestion.Checkpoints?.ParentDirectory,
                    Reporter = new RankReporter(this),
                };
                var pending = _objective.EvaluateAsync(context, abandon.Token);
                evaluation = pending.IsCompletedSuccessfully ? Task.FromResult(pending.Result) : Guard(pending.AsTask());
            }
        }
#pragma warning disable CA1031 // an objective's exception is a failed trial
        catch (Exception e)
#pragma warning restore CA1031
        {
            evaluation = Task.FromResult(Failure(e));
        }

        return new Running(suggestion, evaluation, abandon, clock);

        static async Task<ObjectiveResult> Guard(Task<ObjectiveResult> running)
        {
            try
            {
                return await running.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // as above; a cancellation (abandon, stop) is never reported
            catch (Exception e)
#pragma warning restore CA1031
            {
                return Failure(e);
            }
        }
    }

    private static ObjectiveResult Failure(Exception e) => ObjectiveResult.Failure($"{e.GetType().Name}: {e.Message}");

    /// <summary>Sends the reports objectives made since the last look; true if any. A report of a trial no longer running here is answered stop at once.</summary>
    private bool SendReports()
    {
        if (_wake.Task.IsCompleted)
        {
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // before the queue is read: no wake-up is lost
        }

        if (_outgoingReports.IsEmpty)
        {
            return false;
        }

        List<WireMessage> messages = [];
        while (_outgoingReports.TryDequeue(out var report))
        {
            if (_running?.Suggestion.TrialId != report.TrialId)
            {
                report.Answer.TrySetResult(new ReportAnswer(true, $"trial {report.TrialId} no longer runs on {Name}", false));
                continue;
            }

            _awaitingAnswers.Add(report);
            messages.Add(new ReportMessage(report.TrialId, report.Step, report.Values));
        }

        if (messages.Count > 0)
        {
            _world.SendAll(messages, 0);
        }

        return true;
    }

    /// <summary>
    /// The master's answer to a report: handed to the objective; on stop the evaluation is cancelled and set aside to
    /// end in the background, and its slot is free for the next trial (the master sends it with the answer).
    /// </summary>
    private void Answer(ReportAnswerMessage answer)
    {
        var index = _awaitingAnswers.FindIndex(r => r.TrialId == answer.TrialId && r.Step == answer.Step);
        if (index < 0)
        {
            _logger.BadMessage(0, $"an answer to a report of trial {answer.TrialId} at step {answer.Step}, which {Name} did not send");
            return;
        }

        var report = _awaitingAnswers[index];
        _awaitingAnswers.RemoveAt(index);
        report.Answer.TrySetResult(new ReportAnswer(answer.Stop, answer.Reason, answer.Recorded));
        if (answer.Stop && _running is { } running && running.Suggestion.TrialId == answer.TrialId)
        {
            running.Abandon.Cancel();
            _windingDown.Add(running);
            _running = null;
            foreach (var other in _awaitingAnswers.Where(r => r.TrialId == answer.TrialId).ToList())
            {
                other.Answer.TrySetResult(new ReportAnswer(true, answer.Reason, false));
                _awaitingAnswers.Remove(other);
            }
        }
    }

    /// <summary>Lets go of stopped evaluations that have ended.</summary>
    private void ForgetWoundDown()
    {
        for (var i = _windingDown.Count - 1; i >= 0; i--)
        {
            if (_windingDown[i].Evaluation.IsCompleted)
            {
                _windingDown[i].Dispose();
                _windingDown.RemoveAt(i);
            }
        }
    }

    /// <summary>On the way out: stopped evaluations still ending get a bounded time (a command left in its grace is killed at exit).</summary>
    private void WindUpStopped()
    {
        if (_windingDown.Count > 0)
        {
            Task.WaitAll([.. _windingDown.Select(r => r.Evaluation)], WindDown);
            foreach (var running in _windingDown)
            {
                running.Dispose();
            }

            _windingDown.Clear();
        }

        foreach (var report in _awaitingAnswers)
        {
            report.Answer.TrySetResult(new ReportAnswer(true, "the rank is stopping", false));
        }

        _awaitingAnswers.Clear();
    }

    /// <summary>Cancels an evaluation and gives it a bounded time to kill its processes.</summary>
    private static void WindUp(Running running)
    {
        running.Abandon.Cancel();
        Task.WaitAny([running.Evaluation], WindDown);
        running.Dispose();
    }

    /// <summary>A report on its way from an objective to the master, and the objective's wait for the answer.</summary>
    private sealed record PendingReport(long TrialId, long Step, IReadOnlyDictionary<string, double> Values, TaskCompletionSource<ReportAnswer> Answer);

    /// <summary>An objective's reports: queued for the MPI thread, which is woken to send them; the answer comes back through <see cref="Answer"/>.</summary>
    private sealed class RankReporter(MpiWorker worker) : ITrialReporter
    {
        public async ValueTask<ReportAnswer> ReportAsync(long trialId, long atStep, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken)
        {
            var report = new PendingReport(trialId, atStep, new Dictionary<string, double>(values, StringComparer.Ordinal), new TaskCompletionSource<ReportAnswer>(TaskCreationOptions.RunContinuationsAsynchronously));
            worker._outgoingReports.Enqueue(report);
            worker._wake.TrySetResult();
            try
            {
                return await report.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (report.Answer.Task.IsCompletedSuccessfully)
            {
                // A stop answer cancels the evaluation right after it is given: the answer, not the cancellation, is what counts.
                return await report.Answer.Task.ConfigureAwait(false);
            }
        }
    }

    /// <summary>The evaluation in progress.</summary>
    private sealed record Running(SuggestionMessage Suggestion, Task<ObjectiveResult> Evaluation, CancellationTokenSource Abandon, Stopwatch Clock) : IDisposable
    {
        public void Dispose() => Abandon.Dispose();
    }
}
