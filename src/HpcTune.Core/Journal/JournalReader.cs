using System.Buffers.Binary;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Journal;

/// <summary>
/// Reads and replays a journal file. A damaged record within <see cref="JournalFormat.TailWindow"/> bytes of the
/// end is a torn tail: it and everything after it are dropped, with a warning naming the offset. Damage earlier
/// than that, an intact record of an unknown format version, or a record that contradicts the study so far,
/// is a <see cref="JournalCorruptException"/> naming the offset.
/// </summary>
public static class JournalReader
{
    /// <summary>Reads <paramref name="path"/>; never throws for a torn tail.</summary>
    public static JournalContents Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        StudyState? state = null;
        var events = new List<StudyEvent>();
        var runs = new List<RunInfo>();
        long offset = 0;
        string? tailWarning = null;
        while (offset < bytes.Length)
        {
            var problem = CheckFrame(path, bytes, offset, out var payloadLength);
            if (problem is not null)
            {
                if (bytes.Length - offset > JournalFormat.TailWindow)
                {
                    throw new JournalCorruptException(path, offset, $"{problem}, {bytes.Length - offset} bytes before the end, too far from it to be a torn write");
                }

                tailWarning = $"dropped a torn tail of {bytes.Length - offset} bytes at byte offset {offset} of {path} ({problem}); every record before it is kept";
                break;
            }

            var payload = bytes.AsSpan((int)offset + JournalFormat.HeaderSize, payloadLength);
            Apply(path, offset, payload, ref state, events, runs);
            offset += JournalFormat.HeaderSize + payloadLength;
        }

        if (state is null)
        {
            throw new CheckpointException($"journal {path} holds no complete study record{(tailWarning is null ? "" : $" ({tailWarning})")}; start the study with 'run' instead");
        }

        return new JournalContents(state, events, runs, offset, tailWarning);
    }

    private static void Apply(string path, long offset, ReadOnlySpan<byte> payload, ref StudyState? state, List<StudyEvent> events, List<RunInfo> runs)
    {
        object record;
        try
        {
            record = JournalRecordCodec.Decode(payload, state?.Definition);
        }
        catch (FormatException e)
        {
            throw new JournalCorruptException(path, offset, $"the record's checksum is right but it cannot be read: {e.Message}");
        }

        switch (record)
        {
            case StudyDefinition definition when state is null:
                state = new StudyState(definition);
                break;
            case StudyDefinition:
                throw new JournalCorruptException(path, offset, "a second study record");
            case RunInfo run:
                runs.Add(run);
                break;
            case StudyEvent e when state is not null:
                try
                {
                    state.Apply(e);
                }
                catch (TrialStateException ex)
                {
                    throw new JournalCorruptException(path, offset, $"the record contradicts the study so far: {ex.Message}");
                }

                events.Add(e);
                break;
            default:
                throw new JournalCorruptException(path, offset, "the first record is not the study record");
        }
    }

    /// <summary>Null when a whole, intact record of this format starts at <paramref name="offset"/>; else what is wrong.</summary>
    private static string? CheckFrame(string path, byte[] bytes, long offset, out int payloadLength)
    {
        payloadLength = 0;
        var available = bytes.Length - offset;
        if (available < JournalFormat.HeaderSize)
        {
            return $"only {available} of the {JournalFormat.HeaderSize} header bytes are there";
        }

        var header = bytes.AsSpan((int)offset, JournalFormat.HeaderSize);
        if (!header[..4].SequenceEqual(JournalFormat.Magic))
        {
            return "no record marker";
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (length > JournalFormat.MaxPayload)
        {
            return $"a record length of {length} bytes, more than any record has";
        }

        if (available < JournalFormat.HeaderSize + length)
        {
            return $"the record needs {JournalFormat.HeaderSize + length} bytes but only {available} are there";
        }

        var record = bytes.AsSpan((int)offset, JournalFormat.HeaderSize + (int)length);
        if (JournalFormat.Checksum(record) != BinaryPrimitives.ReadUInt32LittleEndian(header[12..]))
        {
            return "a checksum mismatch";
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != JournalFormat.Version)
        {
            // Intact but unknown: written by another HpcTune version, never a torn write.
            throw new JournalCorruptException(path, offset, $"format version {version}; this HpcTune reads version {JournalFormat.Version}. Use the HpcTune that wrote it");
        }

        payloadLength = (int)length;
        return null;
    }
}
