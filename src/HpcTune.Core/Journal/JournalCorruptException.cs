namespace HpcTune.Journal;

/// <summary>
/// The journal is damaged somewhere a crash cannot explain (not at its end), or holds a record this version
/// cannot read. The message names the file and the byte offset; nothing was changed on disk.
/// </summary>
public sealed class JournalCorruptException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalCorruptException(string path, long offset, string problem)
        : base($"journal {path} is damaged at byte offset {offset}: {problem}")
    {
        Offset = offset;
    }

    /// <summary>Byte offset of the bad record.</summary>
    public long Offset { get; }
}
