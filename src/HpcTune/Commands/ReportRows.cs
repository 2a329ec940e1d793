using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using HpcTune.Journal;
using HpcTune.Values;

namespace HpcTune.Cli.Commands;

/// <summary>
/// <c>export --reports</c>: one row per intermediate report, in trial then step order, with the trial's state and
/// its population member and generation (population based training), so learning curves can be drawn per trial or
/// per member.
/// </summary>
internal static class ReportRows
{
    public static string ToCsv(JournalContents contents)
    {
        var metrics = contents.Definition.Metrics.Select(m => m.Name).ToList();
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(writer, null, true))
        {
            csv.WriteHeader(["id", "state", "step", "time", .. metrics, "member", "generation"]);
            foreach (var trial in contents.State.Trials)
            {
                foreach (var report in trial.Reports)
                {
                    csv.WriteRecord([
                        trial.Id.ToString(CultureInfo.InvariantCulture),
                        trial.State.ToString().ToLowerInvariant(),
                        report.Step.ToString(CultureInfo.InvariantCulture),
                        report.Time.ToString("O", CultureInfo.InvariantCulture),
                        .. metrics.Select(m => report.Values.TryGetValue(m, out var v) ? Scalar.FormatNumber(v) : ""),
                        trial.Lineage?.Member?.ToString(CultureInfo.InvariantCulture) ?? "",
                        trial.Lineage?.Generation?.ToString(CultureInfo.InvariantCulture) ?? "",
                    ]);
                }
            }
        }

        return writer.ToString();
    }

    /// <summary>An array of <c>{"id", "state", "step", "time", "values", "member", "generation"}</c>, one per report.</summary>
    public static string ToJson(JournalContents contents)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var trial in contents.State.Trials)
            {
                foreach (var report in trial.Reports)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", trial.Id);
                    w.WriteString("state", trial.State.ToString().ToLowerInvariant());
                    TrialModelJson.WriteReport(w, report);
                    WriteOptional(w, "member", trial.Lineage?.Member);
                    WriteOptional(w, "generation", trial.Lineage?.Generation);
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
