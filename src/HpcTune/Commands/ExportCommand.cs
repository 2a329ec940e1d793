using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using HpcTune.Journal;
using HpcTune.Study;
using HpcTune.Values;

namespace HpcTune.Cli.Commands;

/// <summary><c>export</c>: every trial as CSV or JSON, one row per trial.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = CheckpointOption.Create();
        var format = new Option<string>("--format") { Description = "csv or json.", Required = true };
        format.AcceptOnlyFromAmong("csv", "json");
        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", """
            Export every trial: id, state, each parameter, each metric, worker, attempts, times, failure reason, metadata.

            Example:
              HpcTune export --checkpoint ckpt --format csv --output trials.csv
            """)
        {
            checkpoint, format, output,
        };
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var contents = Checkpoint.Read(parse.GetValue(checkpoint)!.FullName);
            var text = parse.GetValue(format) == "json" ? ToJson(contents) : ToCsv(contents);
            if (parse.GetValue(output) is { } file)
            {
                await ExportOutput.WriteAsync(file.FullName, parse.GetValue(checkpoint)!.FullName, text).ConfigureAwait(false);
            }
            else
            {
                await Console.Out.WriteAsync(text).ConfigureAwait(false);
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    private static readonly string[] LeadingColumns = ["id", "state"];
    private static readonly string[] TrailingColumns = ["worker", "attempts", "created", "suggested", "finished", "reason", "metadata"];

    private static string ToCsv(JournalContents contents)
    {
        var definition = contents.Definition;
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(writer, null, true))
        {
            csv.WriteHeader([.. LeadingColumns.Concat(definition.Space.Names).Concat(definition.Metrics.Select(m => m.Name)).Concat(TrailingColumns)]);
            foreach (var trial in contents.State.Trials)
            {
                csv.WriteRecord([
                    trial.Id.ToString(CultureInfo.InvariantCulture),
                    trial.State.ToString().ToLowerInvariant(),
                    .. trial.Assignment.Values.Select(v => v.ToString()),
                    .. definition.Metrics.Select(m => trial.Values is not null && trial.Values.TryGetValue(m.Name, out var v) ? Scalar.FormatNumber(v) : ""),
                    trial.Worker,
                    trial.Attempts.ToString(CultureInfo.InvariantCulture),
                    trial.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                    trial.SuggestedAt.ToString("O", CultureInfo.InvariantCulture),
                    trial.FinishedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                    trial.Reason ?? "",
                    MetadataJson(trial.Metadata),
                ]);
            }
        }

        return writer.ToString();
    }

    private static string ToJson(JournalContents contents)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var trial in contents.State.Trials)
            {
                TrialJson.Write(w, trial);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string MetadataJson(IReadOnlyDictionary<string, Scalar> metadata)
    {
        if (metadata.Count == 0)
        {
            return "";
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (key, value) in metadata)
            {
                StudyDefinitionJson.WriteScalar(w, key, value);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
