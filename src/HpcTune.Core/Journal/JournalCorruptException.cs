namespace HpcTune.Journal;

/// <summary>
/// The journal is damaged somewhere a crash cannot explain (not at its end), or holds a record this version
/// cannot read. The message names the file and the byte offset and says what to do; nothing was changed on disk.
/// </summary>
public sealed class JournalCorruptException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalCorruptException(string path, long offset, string problem)
        : base($"journal {path} is damaged at byte offset {offset}: {problem}")
    {
        Offset = offset;
    }

    /// <summary>Creates the exception for the record numbered <paramref name="recordNumber"/> (the study record is 0).</summary>
    public JournalCorruptException(string path, long offset, long recordNumber, long? intactRecordsAfter, string problem)
        : base($"journal {path} is damaged at byte offset {offset}, record number {recordNumber}: {problem}")
    {
        Offset = offset;
        RecordNumber = recordNumber;
        IntactRecordsAfter = intactRecordsAfter;
    }

    /// <summary>Byte offset of the bad record.</summary>
    public long Offset { get; }

    /// <summary>Number of the bad record in journal order (the study record is 0), when known.</summary>
    public long? RecordNumber { get; }

    /// <summary>How many intact records follow the damage, when the reader counted them.</summary>
    public long? IntactRecordsAfter { get; }
}
