using System.Diagnostics;
using HpcTune.Mpi.Interop;
using HpcTune.Mpi.Messages;
using HpcTune.Objectives;
using HpcTune.Values;
using Microsoft.Extensions.Logging;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Ranks 1..N−1: say ready, receive the study, then evaluate each suggestion and send its result until told to
/// stop. Waiting is MPI_Iprobe plus <see cref="Backoff"/>, never a blocking receive (which would busy-poll).
/// An evaluation runs off the MPI thread, which meanwhile sends heartbeats and listens for abandon and stop (either
/// cancels the evaluation, which kills a command objective's process tree). An objective that throws, or cannot
/// even be built on this node, is reported as failed trials.
/// </summary>
public sealed class MpiWorker
{
    /// <summary>How often the MPI thread looks for messages while an evaluation runs (it wakes at once when it ends).</summary>
    private static readonly TimeSpan PollWhileEvaluating = TimeSpan.FromMilliseconds(20);

    /// <summary>How long an abandoned evaluation may take to wind down before the rank moves on without it.</summary>
    private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(10);

    private readonly MpiWorld _world;
    private readonly Func<WelcomeMessage, IObjective> _createObjective;
    private readonly ILogger _logger;
    private readonly Backoff _backoff = new(longestMilliseconds: 2); // after a report the next suggestion is due within a commit
    private WelcomeMessage? _welcome;
    private IObjective? _objective;
    private string? _objectiveProblem;

    private MpiWorker(MpiWorld world, Func<WelcomeMessage, IObjective> createObjective, ILogger logger)
    {
        _world = world;
        _createObjective = createObjective;
        _logger = logger;
    }

    private string Name => $"rank-{_world.Rank}";

    /// <summary>Runs this rank's worker loop; <paramref name="createObjective"/> builds the objective from the welcome.</summary>
    public static void Run(MpiWorld world, Func<WelcomeMessage, IObjective> createObjective, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(createObjective);
        new MpiWorker(world, createObjective, logger).Loop();
    }

    private void Loop()
    {
        _world.Send(MessageCodec.Encode(new ReadyMessage(_world.ProcessorName, _world.Rank)), 0, MessageCodec.Tag);
        while (true)
        {
            if (Receive() is not { } message)
            {
                _backoff.Wait();
                continue;
            }

            _backoff.Reset();
            switch (message)
            {
                case StopMessage:
                    return;
                case WelcomeMessage welcome:
                    Welcome(welcome);
                    break;
                case SuggestionMessage suggestion when _welcome is not null:
                    if (!Evaluate(suggestion))
                    {
                        return;
                    }

                    break;
                case AbandonMessage:
                    break; // its result is already on its way: nothing left to abandon
                default:
                    _logger.BadMessage(0, $"unexpected {message.GetType().Name} from the master");
                    break;
            }
        }
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

    /// <summary>Evaluates one suggestion and reports it; false when the master said stop meanwhile.</summary>
    private bool Evaluate(SuggestionMessage suggestion)
    {
        var clock = Stopwatch.StartNew();
        using var abandon = new CancellationTokenSource();
        var evaluation = Start(suggestion, abandon.Token);
        var every = _welcome!.HeartbeatSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var nextBeat = every;
        while (!evaluation.IsCompleted)
        {
            Task.WaitAny([evaluation], PollWhileEvaluating);
            while (Receive() is { } message)
            {
                switch (message)
                {
                    case StopMessage:
                        WindUp(evaluation, abandon);
                        return false;
                    case AbandonMessage a when a.TrialId == suggestion.TrialId:
                        WindUp(evaluation, abandon);
                        _world.Send(MessageCodec.Encode(new ReadyMessage(_world.ProcessorName, _world.Rank)), 0, MessageCodec.Tag);
                        return true;
                    default:
                        _logger.BadMessage(0, $"unexpected {message.GetType().Name} during trial {suggestion.TrialId}");
                        break;
                }
            }

            if (nextBeat is { } due && clock.Elapsed >= due)
            {
                _world.Send(MessageCodec.Encode(new HeartbeatMessage(suggestion.TrialId)), 0, MessageCodec.Tag);
                nextBeat = clock.Elapsed + every!.Value;
            }
        }

        var result = evaluation.Result;
        var report = new ResultMessage(suggestion.TrialId, result.Values, result.FailureReason, new Dictionary<string, Scalar>(result.Metadata, StringComparer.Ordinal), clock.Elapsed.TotalSeconds);
        _world.Send(MessageCodec.Encode(report), 0, MessageCodec.Tag);
        return true;
    }

    /// <summary>The evaluation as a task that never faults: exceptions become failed results.</summary>
    private Task<ObjectiveResult> Start(SuggestionMessage suggestion, CancellationToken abandon)
    {
        try
        {
            if (_objective is null)
            {
                return Task.FromResult(ObjectiveResult.Failure(_objectiveProblem ?? "no objective"));
            }

            var assignment = _welcome!.Study.Space.CreateAssignment(suggestion.Assignment);
            var pending = _objective.EvaluateAsync(new TrialContext(suggestion.TrialId, assignment, Name, suggestion.Attempt), abandon);
            return pending.IsCompletedSuccessfully ? Task.FromResult(pending.Result) : Guard(pending.AsTask());
        }
#pragma warning disable CA1031 // an objective's exception is a failed trial
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromResult(Failure(e));
        }

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

    /// <summary>Cancels an evaluation and gives it a bounded time to kill its processes.</summary>
    private static void WindUp(Task evaluation, CancellationTokenSource abandon)
    {
        abandon.Cancel();
        Task.WaitAny([evaluation], WindDown);
    }
}
