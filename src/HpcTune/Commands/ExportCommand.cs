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
        var reports = new Option<bool>("--reports") { Description = "One row per intermediate report (id, state, step, time, each metric, member, generation) instead of one per trial." };
        var command = new Command("export", """
            Export every trial: id, state, each parameter, each metric (a pruned trial's: its last report's), worker,
            attempts, times, reason (failed, pruned, interrupted), metadata, whether it is on the Pareto front, its
            number of reports and its lineage (member, generation, parent trial, checkpoint directory, start and end
            step). JSON holds every trial's reports too. --reports exports the intermediate reports instead, one row
            per report, in trial then step order: the learning curves.

            Example:
              HpcTune export --checkpoint ckpt --format csv --output trials.csv
              HpcTune export --checkpoint ckpt --format csv --reports --output reports.csv
            """)
        {
            checkpoint, format, output, reports,
        };
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var contents = Checkpoint.Read(parse.GetValue(checkpoint)!.FullName);
            var json = parse.GetValue(format) == "json";
            var text = parse.GetValue(reports)
                ? json ? ReportRows.ToJson(contents) : ReportRows.ToCsv(contents)
                : json ? ToJson(contents) : ToCsv(contents);
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
    private static readonly string[] TrailingColumns =
        ["worker", "attempts", "created", "suggested", "finished", "reason", "metadata", "pareto", "reports", "member", "generation", "parent", "checkpoint_dir", "start_step", "end_step"];

    private static string ToCsv(JournalContents contents)
    {
        var definition = contents.Definition;
        var front = contents.State.ParetoFront.Select(t => t.Id).ToHashSet();
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(writer, null, true))
        {
            csv.WriteHeader([.. LeadingColumns.Concat(definition.Space.Names).Concat(definition.Metrics.Select(m => m.Name)).Concat(TrailingColumns)]);
            foreach (var trial in contents.State.Trials)
            {
                csv.WriteRecord([
                    trial.Id.ToString(CultureInfo.InvariantCulture),
                    trial.State.ToString().ToLowerInvariant(),
                    .. definition.Space.Names.Select(name => trial.Assignment.TryGetValue(name, out var v) ? v.ToString() : ""), // inactive: empty
                    .. definition.Metrics.Select(m => trial.Values is not null && trial.Values.TryGetValue(m.Name, out var v) ? Scalar.FormatNumber(v) : ""),
                    trial.Worker,
                    trial.Attempts.ToString(CultureInfo.InvariantCulture),
                    trial.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                    trial.SuggestedAt.ToString("O", CultureInfo.InvariantCulture),
                    trial.FinishedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                    trial.Reason ?? "",
                    MetadataJson(trial.Metadata),
                    front.Contains(trial.Id) ? "true" : "false",
                    trial.Reports.Count.ToString(CultureInfo.InvariantCulture),
                    trial.Lineage?.Member?.ToString(CultureInfo.InvariantCulture) ?? "",
                    trial.Lineage?.Generation?.ToString(CultureInfo.InvariantCulture) ?? "",
                    trial.Lineage?.ParentTrialId?.ToString(CultureInfo.InvariantCulture) ?? "",
                    trial.Lineage?.CheckpointDirectory ?? "",
                    trial.Lineage?.StartStep?.ToString(CultureInfo.InvariantCulture) ?? "",
                    trial.Lineage?.EndStep?.ToString(CultureInfo.InvariantCulture) ?? "",
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
            var front = contents.State.ParetoFront.Select(t => t.Id).ToHashSet();
            w.WriteStartArray();
            foreach (var trial in contents.State.Trials)
            {
                TrialJson.Write(w, trial, front.Contains(trial.Id));
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
