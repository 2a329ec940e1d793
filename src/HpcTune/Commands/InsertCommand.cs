using System.CommandLine;
using HpcTune.Cli.Commands.Remote;
using HpcTune.Journal;
using HpcTune.Space;
using HpcTune.Trials;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>
/// <c>insert</c>: adds a trial of the user's to a checkpoint no master holds (<see cref="Tuning.Tuner.Insert"/>), or to
/// a study served by <c>HpcTune serve</c> (--connect).
/// </summary>
internal static class InsertCommand
{
    public static Command Create(ILoggerFactory logging)
    {
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Checkpoint directory of the study (no master may hold it); or --connect." };
        var connection = new ConnectionOptions(required: false);
        var parameters = new Option<string>("--params") { Description = "The assignment, a JSON object: every parameter of the study, name → number or string.", Required = true };
        var values = new Option<string?>("--values") { Description = "Its metric values, a JSON object name → number: the trial is then a completed observation." };
        var command = new Command("insert", """
            Insert a trial: an assignment to evaluate (handed out before any new suggestion) or, with --values, an
            observation made elsewhere. The assignment must be a point of the space (every parameter, in bounds, on its
            step grid, a listed category) and new to the study. With --checkpoint it takes the master lock: stop the
            master first; with --connect the running server inserts it. Exit 0 when inserted, 2 when the assignment or
            values are invalid, 3 when the server cannot be reached, 4 when a trial has the assignment.

            Example:
              HpcTune insert --checkpoint ckpt --params '{"x": 0.5, "kernel": "rbf"}' --values '{"loss": 0.12}'
              HpcTune insert --connect http://127.0.0.1:8470 --token-file ckpt/token --params '{"x": 0.5, "kernel": "rbf"}'
            """)
        {
            checkpoint, parameters, values,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RemoteErrors.Guard(async () =>
        {
            var assignment = JsonOptionReader.ReadAssignment(parse.GetValue(parameters)!, "--params");
            var observed = parse.GetValue(values) is { } text ? JsonOptionReader.ReadValues(text, "--values") : null;
            var local = parse.GetValue(checkpoint);
            if ((local is null) == (parse.GetValue(connection.Connect) is null))
            {
                throw new ArgumentException("give either --checkpoint DIR or --connect URL");
            }

            return local is not null
                ? await InsertLocalAsync(local.FullName, assignment, observed).ConfigureAwait(false)
                : await InsertRemoteAsync(connection, parse, logging.CreateLogger("HpcTune"), assignment, observed, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> InsertLocalAsync(string checkpoint, Assignment assignment, Dictionary<string, double>? observed)
    {
        using var held = Checkpoint.Open(checkpoint);
        Trial trial;
        try
        {
            trial = held.CreateTuner().Insert(assignment, observed);
        }
        catch (DuplicateTrialException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Conflict;
        }
        catch (InvalidOperationException e) when (e is not TrialStateException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        await Console.Out.WriteLineAsync(Inserted(trial.Id, trial.State, trial.Assignment)).ConfigureAwait(false);
        return ExitCodes.Done;
    }

    private static async Task<int> InsertRemoteAsync(ConnectionOptions connection, ParseResult parse, ILogger logger, Assignment assignment, Dictionary<string, double>? observed, CancellationToken cancellationToken)
    {
        using var client = await connection.ConnectAsync(parse, logger, cancellationToken).ConfigureAwait(false);
        var trial = await client.InsertAsync(assignment, observed, cancellationToken).ConfigureAwait(false); // a duplicate: exit 4 (RemoteErrors)
        await Console.Out.WriteLineAsync(Inserted(trial.Id, trial.State, trial.Parameters)).ConfigureAwait(false);
        return ExitCodes.Done;
    }

    private static string Inserted(long id, TrialState state, Assignment assignment) =>
        $"inserted trial {id} ({(state == TrialState.Completed ? "completed" : "waiting to be handed out")}): {assignment}";
}
