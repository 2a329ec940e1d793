using System.Globalization;
using CsvHelper;

namespace HpcTune.Bench;

/// <summary>Prints rows as an aligned table and writes them as CSV.</summary>
internal static class Table
{
    public static void Emit(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, string? csvPath)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))));
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
        }

        if (csvPath is not null)
        {
            Write(header, rows, csvPath);
        }
    }

    /// <summary>Writes the rows as CSV only.</summary>
    public static void Write(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, string csvPath)
    {
        using var writer = new StreamWriter(csvPath);
        using var csv = CsvWriter.Create(writer, null, true);
        csv.WriteHeader([.. header]);
        foreach (var row in rows)
        {
            csv.WriteRecord(row);
        }

        Console.WriteLine($"wrote {csvPath}");
    }

    public static string Number(double value) => value.ToString(Math.Abs(value) < 1e-3 && value != 0 ? "0.00E+0" : "G4", CultureInfo.InvariantCulture);
}
