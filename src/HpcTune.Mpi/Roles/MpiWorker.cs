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
/// An objective that throws, or cannot even be built on this node, is reported as failed trials.
/// </summary>
public static class MpiWorker
{
    /// <summary>Runs this rank's worker loop; <paramref name="createObjective"/> builds the objective from the welcome.</summary>
    public static void Run(MpiWorld world, Func<WelcomeMessage, IObjective> createObjective, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(createObjective);
        world.Send(MessageCodec.Encode(new ReadyMessage(world.ProcessorName, world.Rank)), 0, MessageCodec.Tag);
        IObjective? objective = null;
        string? objectiveProblem = null;
        WelcomeMessage? welcome = null;
        var backoff = new Backoff(longestMilliseconds: 2); // after a report the next suggestion is due within a commit
        while (true)
        {
            if (world.TryReceive(0) is not { } message)
            {
                backoff.Wait();
                continue;
            }

            backoff.Reset();
            WireMessage decoded;
            try
            {
                decoded = MessageCodec.Decode(message.Data);
            }
            catch (FormatException e)
            {
                logger.BadMessage(0, e.Message);
                continue;
            }

            switch (decoded)
            {
                case StopMessage:
                    return;
                case WelcomeMessage w:
                    welcome = w;
                    try
                    {
                        objective = createObjective(w);
                    }
#pragma warning disable CA1031 // whatever stops this node from evaluating becomes the failure reason of its trials
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        objectiveProblem = $"rank {world.Rank} on {world.ProcessorName} cannot evaluate: {e.Message}";
                    }

                    break;
                case SuggestionMessage s when welcome is not null:
                    var result = Evaluate(world, welcome, objective, objectiveProblem, s);
                    world.Send(MessageCodec.Encode(result), 0, MessageCodec.Tag);
                    break;
                default:
                    logger.BadMessage(0, $"unexpected {decoded.GetType().Name} from the master");
                    break;
            }
        }
    }

    private static ResultMessage Evaluate(MpiWorld world, WelcomeMessage welcome, IObjective? objective, string? problem, SuggestionMessage suggestion)
    {
        var clock = Stopwatch.StartNew();
        ObjectiveResult result;
        try
        {
            if (objective is null)
            {
                result = ObjectiveResult.Failure(problem ?? "no objective");
            }
            else
            {
                var assignment = welcome.Study.Space.CreateAssignment(suggestion.Assignment);
                var context = new TrialContext(suggestion.TrialId, assignment, $"rank-{world.Rank}", suggestion.Attempt);
                result = objective.EvaluateAsync(context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }
#pragma warning disable CA1031 // an objective's exception is a failed trial
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = ObjectiveResult.Failure($"{e.GetType().Name}: {e.Message}");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new ResultMessage(suggestion.TrialId, result.Values, result.FailureReason, new Dictionary<string, Scalar>(result.Metadata, StringComparer.Ordinal), seconds);
    }
}
