using System.CommandLine;
using HpcTune.Client;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands.Remote;

/// <summary><c>ask</c>: reserves suggestions of a served study and prints them, for shell scripts and job arrays.</summary>
internal static class AskCommand
{
    public static Command Create(ILoggerFactory logging)
    {
        var connection = new ConnectionOptions(required: true);
        var count = new Option<int>("--count") { Description = "How many trials to reserve at once.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of trials instead of lines." };
        var command = new Command("ask", """
            Reserve trials of a served study for this worker (--name) and print them, one per line:
            TRIAL_ID name=value ... (or a JSON array with --json). Waits while none can be handed out yet; prints
            nothing when the study is finished. Report each with `HpcTune tell --trial TRIAL_ID` under the same --name;
            asking again under the same --name gives back the trials it holds. Exit 0 (also when finished), 1 when the
            study is broken, 2 on a usage error or refused token, 3 when the server cannot be reached.

            Example:
              read -r id params < <(HpcTune ask --connect http://127.0.0.1:8470 --token-file ckpt/token --name job-$SLURM_ARRAY_TASK_ID)
            """)
        {
            count, json,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RemoteErrors.Guard(async () =>
        {
            if (parse.GetValue(count) is var n and (< 1 or > 10_000))
            {
                throw new ArgumentException($"--count must be from 1 to 10000, got {n}");
            }

            using var client = await connection.ConnectAsync(parse, logging.CreateLogger("HpcTune"), cancellationToken).ConfigureAwait(false);
            var trials = await client.SuggestAsync(parse.GetValue(count), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteAsync(RemoteTrialJson.WriteAll(trials)).ConfigureAwait(false);
            }
            else
            {
                foreach (var trial in trials)
                {
                    await Console.Out.WriteLineAsync(TrialLine.Suggestion(trial.Id, trial.Parameters)).ConfigureAwait(false);
                }
            }

            if (trials.Count > 0)
            {
                return ExitCodes.Done;
            }

            var study = await client.GetStudyAsync(cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"the study is {study.Status.ToString().ToLowerInvariant()}: {client.FinishedReason}").ConfigureAwait(false);
            return study.Status == RemoteStudyStatus.Broken ? ExitCodes.Broken : ExitCodes.Done;
        }));
        return command;
    }
}
