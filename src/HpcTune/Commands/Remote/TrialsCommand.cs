using System.CommandLine;
using System.Text;
using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Trials;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands.Remote;

/// <summary><c>trials</c>: a study's trials, all or in one state, from a server or a checkpoint.</summary>
internal static class TrialsCommand
{
    public static Command Create(ILoggerFactory logging)
    {
        var connection = new ConnectionOptions(required: false);
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Read the trials from this checkpoint instead of a server." };
        var state = new Option<string?>("--state") { Description = "Only trials in this state: open, completed, failed, interrupted, deleted or pruned." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of trials instead of lines." };
        var command = new Command("trials", """
            List a study's trials, one per line: ID STATE name=value ... | metric=value ... (or the failure reason),
            or a JSON array with --json, from a running server (--connect) or a checkpoint (--checkpoint; read only,
            a running master is not disturbed).

            Example:
              HpcTune trials --connect http://127.0.0.1:8470 --token-file ckpt/token --state open
              HpcTune trials --checkpoint ckpt --state completed --json
            """)
        {
            checkpoint, state, json,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RemoteErrors.Guard(async () =>
        {
            TrialState? only = parse.GetValue(state) is { } text
                ? Enum.TryParse<TrialState>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !text.Any(char.IsDigit)
                    ? parsed
                    : throw new ArgumentException($"--state must be one of open, completed, failed, interrupted, deleted, pruned; got '{text}'")
                : null;
            var local = parse.GetValue(checkpoint);
            if ((local is null) == (parse.GetValue(connection.Connect) is null))
            {
                throw new ArgumentException("give either --checkpoint DIR or --connect URL");
            }

            string output;
            if (local is not null)
            {
                var trials = Checkpoint.Read(local.FullName).State.Trials.Where(t => only is null || t.State == only).ToList();
                output = parse.GetValue(json) ? CheckpointJson(trials) : Lines(trials.Select(t => TrialLine.Full(t.Id, t.State, t.Assignment, t.Values, t.Reason)));
            }
            else
            {
                using var client = await connection.ConnectAsync(parse, logging.CreateLogger("HpcTune"), cancellationToken).ConfigureAwait(false);
                var trials = await client.FetchTrialsAsync(only, cancellationToken).ConfigureAwait(false);
                output = parse.GetValue(json) ? RemoteTrialJson.WriteAll(trials) : Lines(trials.Select(t => TrialLine.Full(t.Id, t.State, t.Parameters, t.Values, t.FailureReason)));
            }

            await Console.Out.WriteAsync(output).ConfigureAwait(false);
            return ExitCodes.Done;
        }));
        return command;
    }

    private static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    private static string CheckpointJson(IEnumerable<Trial> trials)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var trial in trials)
            {
                TrialJson.Write(w, trial);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
