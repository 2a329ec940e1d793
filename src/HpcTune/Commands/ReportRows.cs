using System.Globalization;
using CsvHelper;
using HpcTune.Journal;
using HpcTune.Values;

namespace HpcTune.Cli.Commands;

/// <summary><c>export --format csv --reports</c>: one row per intermediate report, in trial then step order.</summary>
internal static class ReportRows
{
    public static string ToCsv(JournalContents contents)
    {
        var metrics = contents.Definition.Metrics.Select(m => m.Name).ToList();
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(writer, null, true))
        {
            csv.WriteHeader(["id", "state", "step", "time", .. metrics]);
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
                    ]);
                }
            }
        }

        return writer.ToString();
    }
}
