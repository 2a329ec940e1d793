using System.Globalization;

namespace HpcTune.Journal;

/// <summary>
/// The end mark, <c>journal.htj.end</c>: a small text file a master writes when it stops cleanly (one write, one
/// fsync, one rename; nothing per record), saying how many records and bytes it left and the last record's
/// checksum. A reader that finds fewer records, or another last record, knows the journal lost records that had
/// been synced, which no crash explains — even a cut exactly at a record boundary. Records written after the last
/// clean stop (a master that crashed) are not covered. An unreadable mark is ignored: it only adds a check.
/// </summary>
internal static class JournalEndMark
{
    /// <summary>Path of the end mark of <paramref name="journal"/>.</summary>
    public static string PathOf(string journal) => journal + ".end";

    /// <summary>The mark of <paramref name="journal"/>, or null when there is none or it cannot be read.</summary>
    public static (JournalEnd End, string Time)? Read(string journal)
    {
        string[] lines;
        try
        {
            var info = new FileInfo(PathOf(journal));
            if (!info.Exists || info.Length > 4096)
            {
                return null;
            }

            lines = File.ReadAllLines(info.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var fields = lines.Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return fields.TryGetValue("length", out var length) && long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            && fields.TryGetValue("version", out var version) && ushort.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var format)
            && fields.TryGetValue("records", out var records) && long.TryParse(records, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && fields.TryGetValue("last_checksum", out var checksum) && uint.TryParse(checksum, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var crc)
            ? (new JournalEnd(bytes, format, count, crc), fields.GetValueOrDefault("time", "an unknown time"))
            : null;
    }

    /// <summary>Writes the mark for <paramref name="end"/> through a temporary file and a rename; throws on I/O errors.</summary>
    public static void Write(string journal, JournalEnd end, DateTimeOffset time)
    {
        var path = PathOf(journal);
        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"length {end.Length}\nversion {end.Version}\nrecords {end.Records}\nlast_checksum {end.LastChecksum:x8}\ntime {time:O}\n")));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The first error is the one to report.
            }

            throw;
        }
    }

    /// <summary>
    /// Writes the mark at a clean stop; a failure (disk full, read-only) is no reason to fail the stop, so it only
    /// removes a mark that could now be wrong.
    /// </summary>
    public static void TryWrite(string journal, JournalEnd end)
    {
        try
        {
            Write(journal, end, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(journal);
        }
    }

    /// <summary>Removes the mark, if any (a new study, or one that could be stale).</summary>
    public static void TryDelete(string journal)
    {
        try
        {
            File.Delete(PathOf(journal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale mark that cannot be removed is reported by the reader, with repair as the way out.
        }
    }
}
