namespace HpcTune.Journal;

/// <summary>
/// One record's header as read: where it starts, its format version and sizes, its checksum, and (version 2) its
/// sequence number and link to the record before it.
/// </summary>
internal readonly record struct JournalFrame(long Offset, ushort Version, int HeaderSize, int PayloadLength, uint Checksum, long Sequence, uint Link)
{
    /// <summary>The byte just after the record.</summary>
    public long End => Offset + HeaderSize + PayloadLength;

    /// <summary>The whole record's size in bytes.</summary>
    public int Size => HeaderSize + PayloadLength;
}
