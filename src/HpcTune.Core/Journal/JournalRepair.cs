using System.Globalization;

namespace HpcTune.Journal;

/// <summary>
/// Rewrites a damaged journal from its intact records (docs/journal.md, "Repair"): every record whose checksum
/// is right is a candidate, in sequence-number order (version 2) or file order (version 1); each is kept when it
/// replays consistently with the ones kept before it, else listed as dropped with the reason. The damaged journal
/// is kept as a backup that is never overwritten; the new one is written to a temporary file, synced and renamed
/// over the old, so a crash during repair leaves one or the other.
/// </summary>
internal static class JournalRepair
{
    /// <summary>Repairs <paramref name="journal"/> (the caller holds the master lock).</summary>
    public static JournalRepairReport Run(string journal, DateTimeOffset now)
    {
        string found;
        try
        {
            var contents = JournalReader.Read(journal);
            if (contents.TailWarning is null)
            {
                return new JournalRepairReport(false, [$"journal {journal} is healthy: {Summary(contents.State, contents.Runs.Count, contents.End.Records)}; nothing to repair, nothing changed"], null);
            }

            found = contents.TailWarning;
        }
        catch (Exception e) when (e is JournalCorruptException or CheckpointException)
        {
            found = e.Message;
        }

        var lines = new List<string> { $"found: {found}" };
        var (version, kept, replay) = Rebuild(journal, lines);
        var backup = Backup(journal, now);
        var temporary = journal + ".repair.tmp";
        var newEnd = JournalEnd.Empty with { Version = version };
        try
        {
            using (var source = Open(journal))
            using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var scanner = new JournalScanner(source);
                uint link = 0;
                foreach (var (frame, synthetic) in kept)
                {
                    var record = JournalFormat.Frame(synthetic ?? PayloadOf(scanner, frame), version, newEnd.Records, link);
                    link = JournalFormat.StoredChecksum(record);
                    target.Write(record);
                    newEnd = new JournalEnd(target.Position, version, newEnd.Records + 1, link);
                }

                target.Flush(flushToDisk: true);
            }
        }
        catch
        {
            File.Delete(temporary); // not left to fill a disk that may already be full; the journal is untouched
            throw;
        }

        JournalEndMark.TryDelete(journal); // a crash before the new mark must not leave the old one beside the new journal
        File.Move(temporary, journal, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(journal)!);
        JournalEndMark.Write(journal, newEnd, now);
        lines.Add($"kept: {Summary(replay.State!, replay.Runs.Count, kept.Count)}");
        lines.Add($"backup of the journal as it was: {backup}");
        lines.Add($"repaired: {journal} ({newEnd.Length} bytes, format version {version}); 'HpcTune resume --checkpoint {Path.GetDirectoryName(journal)}' continues the study");
        return new JournalRepairReport(true, lines, backup);
    }

    /// <summary>Chooses the records to keep, adding a line for each one dropped.</summary>
    private static (ushort Version, List<KeptRecord> Kept, JournalReader.Replay Replay) Rebuild(string journal, List<string> lines)
    {
        using var stream = Open(journal);
        var scanner = new JournalScanner(stream);
        var (frames, damagedBytes) = Intact(journal, scanner, lines);
        var replay = new JournalReader.Replay(journal);
        var study = frames.FindIndex(f => IsStudy(scanner, f));
        if (study < 0 || replay.TryApply(PayloadOf(scanner, frames[study])) is not null)
        {
            throw new CheckpointException($"journal {journal} holds no intact study record (record number 0), and nothing can be recovered without it; nothing was changed. Restore the checkpoint from a backup, or start the study again with 'HpcTune run'");
        }

        var version = frames[study].Version;
        var candidates = frames.Where((f, i) => i != study && DropOtherVersion(f, version, lines)).ToList();
        if (version >= 2)
        {
            candidates = [.. candidates.OrderBy(f => f.Sequence).ThenBy(f => f.Offset)];
        }

        List<KeptRecord> kept = [new(frames[study], null)];
        var previous = frames[study]; // the last record of the old journal kept
        var seen = previous.Sequence; // the highest number met so far, kept or dropped
        var lost = (damagedBytes / JournalFormat.HeaderSizeV1) + 1; // a bound on the records lost, for placeholders
        foreach (var frame in candidates)
        {
            if (version >= 2 && frame.Sequence > seen + 1)
            {
                lines.Add(frame.Sequence == seen + 2
                    ? $"note: record number {seen + 1} is missing (damaged or removed)"
                    : $"note: records numbered {seen + 1} to {frame.Sequence - 1} are missing (damaged or removed)");
                lost += frame.Sequence - seen - 1;
            }

            seen = Math.Max(seen, frame.Sequence);
            if (version >= 2 && frame.Sequence == previous.Sequence)
            {
                lines.Add(frame.Checksum == previous.Checksum
                    ? $"dropped: the record at byte offset {frame.Offset}, a repeated copy of record number {frame.Sequence} (byte offset {previous.Offset})"
                    : $"dropped: the record at byte offset {frame.Offset}, a second record numbered {frame.Sequence}; the one at byte offset {previous.Offset} replayed first and is kept");
                continue;
            }

            if (replay.TryDecode(PayloadOf(scanner, frame), out var record) is { } unreadable)
            {
                lines.Add($"dropped: the record at byte offset {frame.Offset}{Numbered(frame)}: {unreadable}");
                continue;
            }

            var problem = replay.TryApply(record);
            for (var bridges = 0; problem is not null && bridges < 2 && JournalRepairBridge.TryBridge(replay.State!, record, ref lost, out var events, out var line); bridges++)
            {
                foreach (var e in events)
                {
                    if (replay.TryApply(e) is { } refused)
                    {
                        throw new CheckpointException($"repair cannot bridge the lost records: its own {e.GetType().Name} was refused ({refused}); nothing was changed. Restore the checkpoint from a backup");
                    }

                    kept.Add(new(default, JournalRecordCodec.EncodeEvent(e)));
                }

                lines.Add(line);
                problem = replay.TryApply(record);
            }

            if (problem is not null)
            {
                lines.Add($"dropped: {JournalReader.Replay.Describe(record)}, the record at byte offset {frame.Offset}{Numbered(frame)}: {problem}");
                continue;
            }

            if (version >= 2 && frame.Sequence == previous.Sequence + 1 && frame.Link != previous.Checksum)
            {
                lines.Add($"note: record number {frame.Sequence} (byte offset {frame.Offset}) does not link to the one before it: one of the two was replaced; both replay consistently and are kept (compare with the backup)");
            }

            kept.Add(new(frame, null));
            previous = frame;
        }

        if (JournalEndMark.Read(journal) is { } mark && mark.End.Records > kept.Count)
        {
            lines.Add($"lost: the master that stopped cleanly at {mark.Time} had written {mark.End.Records} records ({mark.End.Length} bytes); {kept.Count} are kept, and the others are not in this file to recover");
        }

        return (version, kept, replay);
    }

    /// <summary>Every intact record in file order; a line for each damaged byte range.</summary>
    private static (List<JournalFrame> Frames, long DamagedBytes) Intact(string journal, JournalScanner scanner, List<string> lines)
    {
        var frames = new List<JournalFrame>();
        long damaged = 0;
        long offset = 0;
        while (offset < scanner.Length)
        {
            var outcome = scanner.TryRead(offset, out var frame, out var problem);
            if (outcome == JournalScanner.Outcome.UnknownVersion)
            {
                throw new CheckpointException($"journal {journal} holds a record of format version {frame.Version} at byte offset {offset}, written by another HpcTune; repair it with that version. Nothing was changed");
            }

            if (outcome == JournalScanner.Outcome.Intact)
            {
                frames.Add(frame);
                offset = frame.End;
                continue;
            }

            var next = scanner.FindIntact(offset + 1) ?? scanner.Length;
            lines.Add($"dropped: bytes {offset} to {next - 1} ({next - offset} bytes, from record number {frames.Count} on): {problem}; no intact record starts in them");
            damaged += next - offset;
            offset = next;
        }

        return (frames, damaged);
    }

    private static bool DropOtherVersion(JournalFrame frame, ushort version, List<string> lines)
    {
        if (frame.Version == version)
        {
            return true;
        }

        lines.Add($"dropped: the record at byte offset {frame.Offset}: format version {frame.Version} in a journal of version {version}");
        return false;
    }

    private static ReadOnlySpan<byte> PayloadOf(JournalScanner scanner, JournalFrame frame)
    {
        scanner.TryRead(frame.Offset, out var again, out _);
        return scanner.Payload(again);
    }

    private static bool IsStudy(JournalScanner scanner, JournalFrame frame)
    {
        try
        {
            return JournalRecordCodec.Decode(PayloadOf(scanner, frame), null) is Study.StudyDefinition;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Numbered(JournalFrame frame) => frame.HeaderSize >= JournalFormat.HeaderSizeV2 ? $" (numbered {frame.Sequence})" : "";

    private static string Summary(Tuning.StudyState state, int runs, long records) => string.Create(CultureInfo.InvariantCulture,
        $"{records} records: the study record, master starts {runs}, trials {state.Trials.Count} (results {state.CompletedCount}, failures {state.FailedCount})");

    /// <summary>Copies the journal to a new <c>journal.htj.bak-TIME</c> (never over an existing file) and syncs the copy.</summary>
    private static string Backup(string journal, DateTimeOffset now)
    {
        var stem = $"{journal}.bak-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        for (var n = 1; ; n++)
        {
            var path = n == 1 ? stem : $"{stem}-{n}";
            FileStream copy;
            try
            {
                copy = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            }
            catch (IOException) when (File.Exists(path) && n < 1000)
            {
                continue; // taken by an earlier repair in the same second: try the next name
            }

            try
            {
                using (copy)
                using (var source = Open(journal))
                {
                    source.CopyTo(copy);
                    copy.Flush(flushToDisk: true);
                }

                return path;
            }
            catch
            {
                File.Delete(path); // a partial copy is no backup
                throw;
            }
        }
    }

    /// <summary>A record of the repaired journal: an intact one of the old (by its frame) or one repair adds.</summary>
    private readonly record struct KeptRecord(JournalFrame Frame, byte[]? Synthetic);

    private static FileStream Open(string journal) => new(journal, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
}
