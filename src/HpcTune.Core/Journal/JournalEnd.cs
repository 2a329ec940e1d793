namespace HpcTune.Journal;

/// <summary>
/// Where a journal ends: its length in bytes of whole records, its format version, how many records it holds and
/// the checksum of the last one (0 when empty) — what the next record is framed after.
/// </summary>
internal sealed record JournalEnd(long Length, ushort Version, long Records, uint LastChecksum)
{
    /// <summary>A journal not yet written: the next record is number 0 of the current format.</summary>
    public static JournalEnd Empty { get; } = new(0, JournalFormat.Version, 0, 0);
}
