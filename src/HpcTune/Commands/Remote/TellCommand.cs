using System.CommandLine;
using HpcTune.Client;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands.Remote;

/// <summary><c>tell</c>: sends the result of a trial reserved with <c>ask</c>.</summary>
internal static class TellCommand
{
    public static Command Create(ILoggerFactory logging)
    {
        var connection = new ConnectionOptions(required: true);
        var trial = new Option<long>("--trial") { Description = "The trial's id, as ask printed it.", Required = true };
        var value = new Option<double?>("--value") { Description = "The objective's value (a study with one metric)." };
        var values = new Option<string?>("--values") { Description = "Every metric's value, a JSON object name → number." };
        var failed = new Option<string?>("--failed") { Description = "The trial failed, for this reason." };
        var metadata = new Option<string?>("--metadata") { Description = "Recorded with the result: a JSON object of strings, numbers or booleans." };
        var command = new Command("tell", """
            Send the result of a trial: its value, every metric's value, or that it failed. Sending the same result again
            (a retry after a lost answer) is acknowledged and counted once. Exit 0 when recorded, 2 on a usage error or
            refused token, 3 when the server cannot be reached, 4 when the result does not count (the trial was finished
            with another result, or is held by another worker).

            Example:
              HpcTune tell --connect http://127.0.0.1:8470 --token-file ckpt/token --trial 12 --value 0.25 --metadata '{"node": "n3"}'
            """)
        {
            trial, value, values, failed, metadata,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RemoteErrors.Guard(async () =>
        {
            var given = new object?[] { parse.GetValue(value), parse.GetValue(values), parse.GetValue(failed) }.Count(o => o is not null);
            if (given != 1)
            {
                throw new ArgumentException("give exactly one of --value X, --values JSON and --failed REASON");
            }

            if (parse.GetValue(value) is { } number && !double.IsFinite(number))
            {
                throw new ArgumentException($"--value must be a finite number, got {number}");
            }

            var extra = parse.GetValue(metadata) is { } text ? JsonOptionReader.ReadMetadata(text, "--metadata") : null;
            var metrics = parse.GetValue(values) is { } valuesText ? JsonOptionReader.ReadValues(valuesText, "--values") : null;
            var id = parse.GetValue(trial);
            using var client = await connection.ConnectAsync(parse, logging.CreateLogger("HpcTune"), cancellationToken).ConfigureAwait(false);
            var outcome = parse.GetValue(failed) is { } reason ? await client.FailAsync(id, reason, extra, cancellationToken).ConfigureAwait(false)
                : metrics is not null ? await client.ObserveAsync(id, metrics, extra, cancellationToken).ConfigureAwait(false)
                : await client.ObserveAsync(id, parse.GetValue(value)!.Value, extra, cancellationToken).ConfigureAwait(false);
            if (!outcome.Recorded)
            {
                await Console.Error.WriteLineAsync($"error: trial {id}: the result does not count: {outcome.Problem}").ConfigureAwait(false);
                return ExitCodes.Conflict;
            }

            await Console.Out.WriteLineAsync(outcome.Duplicate ? $"trial {id}: recorded already (counted once)" : $"trial {id}: recorded").ConfigureAwait(false);
            return ExitCodes.Done;
        }));
        return command;
    }
}
