using System.CommandLine;
using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Space;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Cli.Commands;

/// <summary><c>insert</c>: adds a trial of the user's to a checkpoint no master holds (<see cref="Tuning.Tuner.Insert"/>).</summary>
internal static class InsertCommand
{
    public static Command Create()
    {
        var checkpoint = CheckpointOption.Create();
        var parameters = new Option<string>("--params") { Description = "The assignment, a JSON object: every parameter of the study, name → number or string.", Required = true };
        var values = new Option<string?>("--values") { Description = "Its metric values, a JSON object name → number: the trial is then a completed observation." };
        var command = new Command("insert", """
            Insert a trial: an assignment to evaluate (handed out before any new suggestion when the study resumes) or,
            with --values, an observation made elsewhere. The assignment must be a point of the space (every parameter,
            in bounds, on its step grid, a listed category) and new to the study. Takes the master lock: stop the master
            first. Exit 0 when inserted, 2 when the assignment or values are invalid, 4 when a trial has the assignment.

            Example:
              HpcTune insert --checkpoint ckpt --params '{"x": 0.5, "kernel": "rbf"}' --values '{"loss": 0.12}'
            """)
        {
            checkpoint, parameters, values,
        };
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var assignment = ReadAssignment(parse.GetValue(parameters)!);
            var observed = parse.GetValue(values) is { } text ? ReadValues(text) : null;
            using var held = Checkpoint.Open(parse.GetValue(checkpoint)!.FullName);
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

            var state = trial.State == TrialState.Completed ? "completed" : "waiting to be handed out";
            await Console.Out.WriteLineAsync($"inserted trial {trial.Id} ({state}): {trial.Assignment}").ConfigureAwait(false);
            return ExitCodes.Done;
        }));
        return command;
    }

    private static Assignment ReadAssignment(string json)
    {
        var names = new List<string>();
        var scalars = new List<Scalar>();
        foreach (var property in ReadObject(json, "--params"))
        {
            names.Add(property.Name);
            scalars.Add(property.Value.ValueKind switch
            {
                JsonValueKind.Number when property.Value.TryGetDouble(out var number) && double.IsFinite(number) => Scalar.FromNumber(number),
                JsonValueKind.String => Scalar.FromText(property.Value.GetString()!),
                _ => throw new ArgumentException($"--params: parameter '{property.Name}' must be a finite number or a string, got {property.Value.GetRawText()}"),
            });
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException("--params: a parameter appears twice");
        }

        return new Assignment(names, scalars);
    }

    private static Dictionary<string, double> ReadValues(string json)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in ReadObject(json, "--values"))
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var number) || !values.TryAdd(property.Name, number))
            {
                throw new ArgumentException($"--values: metric '{property.Name}' must be a number, once, got {property.Value.GetRawText()}");
            }
        }

        return values;
    }

    private static List<JsonProperty> ReadObject(string json, string option)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? [.. document.RootElement.Clone().EnumerateObject()]
                : throw new ArgumentException($"{option}: expected a JSON object, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{option}: not valid JSON: {e.Message}", e);
        }
    }
}
