using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Journal;

/// <summary>
/// Reads and replays a journal file as a stream (any size: offsets are 64-bit and one record is held at a time).
/// A damaged record is a torn tail — dropped with everything after it, with a warning naming the offset — only
/// when no intact record follows it, it starts within <see cref="JournalFormat.TailWindow"/> bytes of the end,
/// and it lies past what the end mark says a cleanly stopped master had synced. Anything else is a
/// <see cref="JournalCorruptException"/> naming the offset and the record number, and nothing is changed: damage
/// with intact records after it, a record out of sequence or not linked to the one before it (version 2), a record
/// of an unknown format version, one that contradicts the study so far, or fewer records than the end mark says.
/// </summary>
internal static class JournalReader
{
    /// <summary>Reads <paramref name="path"/>; never throws for a torn tail.</summary>
    public static JournalContents Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1 << 16);
        return Read(stream, path, JournalEndMark.Read(path));
    }

    /// <summary>Reads a journal from <paramref name="stream"/>; <paramref name="path"/> names it in messages.</summary>
    internal static JournalContents Read(Stream stream, string path, (JournalEnd End, string Time)? mark)
    {
        var scanner = new JournalScanner(stream);
        var replay = new Replay(path);
        long offset = 0;
        long number = 0;
        uint last = 0;
        uint? markedChecksum = null;
        ushort? version = null;
        string? tailWarning = null;
        while (offset < scanner.Length)
        {
            var outcome = scanner.TryRead(offset, out var frame, out var problem);
            if (outcome == JournalScanner.Outcome.UnknownVersion)
            {
                throw new JournalCorruptException(path, offset, number, null, $"format version {frame.Version}; this HpcTune reads versions {JournalFormat.FirstVersion} to {JournalFormat.Version}. Use the HpcTune that wrote it");
            }

            if (outcome == JournalScanner.Outcome.Damaged)
            {
                tailWarning = TornTail(path, scanner, offset, number, problem, mark);
                break;
            }

            version ??= frame.Version;
            if (frame.Version != version)
            {
                throw Corrupt(path, frame, number, $"a record of format version {frame.Version} in a journal of version {version}");
            }

            if (frame.HeaderSize >= JournalFormat.HeaderSizeV2)
            {
                if (frame.Sequence != number)
                {
                    throw Corrupt(path, frame, number, $"it carries sequence number {frame.Sequence}: records before it were removed, repeated or reordered");
                }

                if (frame.Link != last)
                {
                    throw Corrupt(path, frame, number, $"it does not follow the record before it (it names checksum {frame.Link:x8}, that record has {last:x8}): a record was replaced, removed or reordered");
                }
            }

            replay.Apply(frame, scanner.Payload(frame), number);
            last = frame.Checksum;
            number++;
            offset = frame.End;
            if (mark is { } m && number == m.End.Records)
            {
                markedChecksum = last;
            }
        }

        if (replay.State is null)
        {
            throw new CheckpointException($"journal {path} holds no complete study record{(tailWarning is null ? "" : $" ({tailWarning})")}; start the study with 'run' instead, or see what 'HpcTune repair --checkpoint {Path.GetDirectoryName(path)}' can recover");
        }

        if (mark is { } marked)
        {
            CheckMark(path, marked, offset, number, markedChecksum);
        }

        return new JournalContents(replay.State, replay.Events, replay.Runs, new JournalEnd(offset, version ?? JournalFormat.Version, number, last), tailWarning);
    }

    /// <summary>The advice every damage message ends with.</summary>
    internal static string RepairAdvice(string path) =>
        $"Nothing was changed. Run 'HpcTune repair --checkpoint {Path.GetDirectoryName(Path.GetFullPath(path))}' to keep every intact record (it makes a backup and says what it drops), or restore the checkpoint from a backup";

    /// <summary>The warning for a torn tail at <paramref name="offset"/>, or the error when the damage cannot be one.</summary>
    private static string TornTail(string path, JournalScanner scanner, long offset, long number, string problem, (JournalEnd End, string Time)? mark)
    {
        if (scanner.FindIntact(offset + 1) is { } next)
        {
            var after = scanner.CountIntact(next);
            throw new JournalCorruptException(path, offset, number, after,
                $"{problem}, and {after} intact records follow (the first at byte offset {next}), so this is damage, not a torn write. {RepairAdvice(path)}");
        }

        var toEnd = scanner.Length - offset;
        if (toEnd > JournalFormat.TailWindow)
        {
            throw new JournalCorruptException(path, offset, number, 0,
                $"{problem}, {toEnd} bytes before the end, too far from it to be a torn write (0 intact records follow). {RepairAdvice(path)}");
        }

        if (mark is { } m && offset < m.End.Length)
        {
            throw new JournalCorruptException(path, offset, number, 0,
                $"{problem}, inside the {m.End.Length} bytes ({m.End.Records} records) that the master which stopped cleanly at {m.Time} had synced, so this is damage, not a torn write (0 intact records follow). {RepairAdvice(path)}");
        }

        return $"dropped a torn tail of {toEnd} bytes at byte offset {offset} of {path} ({problem}); every record before it is kept";
    }

    private static void CheckMark(string path, (JournalEnd End, string Time) mark, long length, long records, uint? markedChecksum)
    {
        if (records < mark.End.Records)
        {
            throw new JournalCorruptException(path, length, records, 0,
                $"the journal ends after {records} records ({length} bytes), but the master that stopped cleanly at {mark.Time} had written {mark.End.Records} records ({mark.End.Length} bytes): the records from number {records} on were cut off. {RepairAdvice(path)}");
        }

        if (mark.End.Records > 0 && markedChecksum != mark.End.LastChecksum)
        {
            throw new JournalCorruptException(path, mark.End.Length, mark.End.Records - 1, null,
                $"the record is not the one the master that stopped cleanly at {mark.Time} wrote last (checksum {markedChecksum:x8}, not {mark.End.LastChecksum:x8}): it was replaced. {RepairAdvice(path)}");
        }
    }

    private static JournalCorruptException Corrupt(string path, JournalFrame frame, long number, string problem) =>
        new(path, frame.Offset, number, null, $"{problem}. {RepairAdvice(path)}");

    /// <summary>Folds records into the study, checking each against the study so far.</summary>
    internal sealed class Replay(string path)
    {
        private readonly List<StudyEvent> _events = [];
        private readonly List<RunInfo> _runs = [];

        public StudyState? State { get; private set; }

        public IReadOnlyList<StudyEvent> Events => _events;

        public IReadOnlyList<RunInfo> Runs => _runs;

        /// <summary>Applies record number <paramref name="number"/>; <see cref="JournalCorruptException"/> when it cannot be.</summary>
        public void Apply(JournalFrame frame, ReadOnlySpan<byte> payload, long number)
        {
            if (TryApply(payload) is { } problem)
            {
                throw Corrupt(path, frame, number, problem);
            }
        }

        /// <summary>Applies one record; returns what is wrong with it (and changes nothing) when it cannot be.</summary>
        public string? TryApply(ReadOnlySpan<byte> payload) =>
            TryDecode(payload, out var record) is { } problem ? problem : TryApply(record);

        /// <summary>Decodes a payload against the study so far; returns what is wrong when it cannot be.</summary>
        public string? TryDecode(ReadOnlySpan<byte> payload, out object record)
        {
            try
            {
                record = JournalRecordCodec.Decode(payload, State?.Definition);
                return null;
            }
            catch (FormatException e)
            {
                record = "";
                return $"the record's checksum is right but it cannot be read: {e.Message}";
            }
        }

        /// <summary>Applies a decoded record; returns what is wrong (and changes nothing) when it cannot be.</summary>
        public string? TryApply(object record)
        {
            switch (record)
            {
                case StudyDefinition definition when State is null:
                    State = new StudyState(definition);
                    return null;
                case StudyDefinition:
                    return "a second study record";
                case RunInfo run:
                    _runs.Add(run);
                    return null;
                case StudyEvent e when State is not null:
                    try
                    {
                        State.Apply(e);
                    }
                    catch (TrialStateException ex)
                    {
                        return $"the record contradicts the study so far: {ex.Message}";
                    }

                    _events.Add(e);
                    return null;
                default:
                    return "the first record is not the study record";
            }
        }

        /// <summary>A record in words, for repair's report.</summary>
        public static string Describe(object record) => record switch
        {
            StudyDefinition => "the study record",
            RunInfo run => $"the start of a master (pid {run.ProcessId} on {run.Host}, {run.Time:u})",
            TrialCreated c => $"trial {c.TrialId} created",
            TrialReissued r => $"trial {r.TrialId} handed out again",
            TrialObserved o => $"the result of trial {o.TrialId}",
            TrialFailed f => $"the failure of trial {f.TrialId}",
            TrialInterrupted i => $"trial {i.TrialId} interrupted",
            TrialDeleted d => $"trial {d.TrialId} deleted",
            TrialReported r => $"the report of trial {r.TrialId} at step {r.Step}",
            TrialPruned p => $"trial {p.TrialId} pruned",
            TrialInserted n => $"trial {n.TrialId} inserted",
            BudgetChanged b => $"the budget raised to {b.ObservationBudget}",
            _ => "a record",
        };
    }
}
