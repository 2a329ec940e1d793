using System.Buffers.Binary;

namespace HpcTune.Journal;

/// <summary>
/// Reads records from a journal stream at any offset (positions are <see cref="long"/>: journals over 2 GiB read
/// as well as small ones), checks their framing and checksum, and finds the next intact record after damage.
/// Only one record's bytes are held at a time.
/// </summary>
internal sealed class JournalScanner
{
    private const int ScanChunk = 64 * 1024;
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[JournalFormat.HeaderSizeV1];
    private byte[] _record = new byte[4096];
    private byte[]? _chunk;

    /// <summary>Reads <paramref name="stream"/> (readable and seekable) up to the length it has now.</summary>
    public JournalScanner(Stream stream)
    {
        _stream = stream;
        Length = stream.Length;
    }

    /// <summary>The length of the stream when the scanner was made; records beyond it are not seen.</summary>
    public long Length { get; }

    /// <summary>The outcome of reading one record.</summary>
    public enum Outcome
    {
        /// <summary>A whole record of a known version, checksum right.</summary>
        Intact,

        /// <summary>Torn or damaged: see the problem text.</summary>
        Damaged,

        /// <summary>A whole record whose checksum is right for a format version this HpcTune does not know.</summary>
        UnknownVersion,
    }

    /// <summary>
    /// Reads the record at <paramref name="offset"/>. On <see cref="Outcome.Intact"/>, <paramref name="frame"/> describes it
    /// and <see cref="Payload"/> holds its payload until the next call; on <see cref="Outcome.Damaged"/>,
    /// <paramref name="problem"/> says what is wrong; on <see cref="Outcome.UnknownVersion"/>, the frame's version is set.
    /// </summary>
    public Outcome TryRead(long offset, out JournalFrame frame, out string problem)
    {
        frame = default;
        problem = "";
        var available = Length - offset;
        if (available < JournalFormat.HeaderSizeV1)
        {
            problem = $"only {available} of the {JournalFormat.HeaderSizeV1} header bytes are there";
            return Outcome.Damaged;
        }

        ReadAt(offset, _header.AsSpan(0, JournalFormat.HeaderSizeV1));
        var header = _header.AsSpan(0, JournalFormat.HeaderSizeV1);
        if (!header[..4].SequenceEqual(JournalFormat.Magic))
        {
            problem = "no record marker";
            return Outcome.Damaged;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]); // what follows the first 16 bytes
        if (length > JournalFormat.MaxPayload + JournalFormat.MaxHeaderSize - JournalFormat.HeaderSizeV1)
        {
            problem = $"a record length of {length} bytes, more than any record has";
            return Outcome.Damaged;
        }

        if (available < JournalFormat.HeaderSizeV1 + length)
        {
            problem = $"the record needs {JournalFormat.HeaderSizeV1 + length} bytes but only {available} are there";
            return Outcome.Damaged;
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (Checksum(offset, JournalFormat.HeaderSizeV1 + (int)length) != stored)
        {
            problem = "a checksum mismatch";
            return Outcome.Damaged;
        }

        var headerSize = JournalFormat.HeaderSize(version);
        if (headerSize == 0)
        {
            // Intact but not of a version this HpcTune knows: written by another HpcTune version, never a torn write.
            frame = new JournalFrame(offset, version, JournalFormat.HeaderSizeV1, (int)length, stored, 0, 0);
            return Outcome.UnknownVersion;
        }

        if (length < headerSize - JournalFormat.HeaderSizeV1 || length - (headerSize - JournalFormat.HeaderSizeV1) > JournalFormat.MaxPayload)
        {
            problem = $"a version {version} record of {length + JournalFormat.HeaderSizeV1} bytes, which no record of that version has";
            return Outcome.Damaged;
        }

        var sequence = headerSize >= JournalFormat.HeaderSizeV2 ? BinaryPrimitives.ReadInt64LittleEndian(_record.AsSpan(16)) : 0;
        var link = headerSize >= JournalFormat.HeaderSizeV2 ? BinaryPrimitives.ReadUInt32LittleEndian(_record.AsSpan(24)) : 0;
        frame = new JournalFrame(offset, version, headerSize, (int)length - (headerSize - JournalFormat.HeaderSizeV1), stored, sequence, link);
        return Outcome.Intact;
    }

    /// <summary>The payload of the record the last <see cref="TryRead"/> found intact.</summary>
    public ReadOnlySpan<byte> Payload(JournalFrame frame) => _record.AsSpan(frame.HeaderSize, frame.PayloadLength);

    /// <summary>Offset of the first intact record that starts at or after <paramref name="from"/>, or null.</summary>
    public long? FindIntact(long from)
    {
        _chunk ??= new byte[ScanChunk];
        var position = from;
        while (Length - position >= JournalFormat.HeaderSizeV1)
        {
            var count = (int)Math.Min(ScanChunk, Length - position);
            ReadAt(position, _chunk.AsSpan(0, count));
            var at = _chunk.AsSpan(0, count).IndexOf(JournalFormat.Magic);
            if (at < 0)
            {
                position += count - (JournalFormat.Magic.Length - 1); // a marker may straddle chunks
                continue;
            }

            var candidate = position + at;
            if (TryRead(candidate, out _, out _) == Outcome.Intact)
            {
                return candidate;
            }

            position = candidate + 1;
        }

        return null;
    }

    /// <summary>How many intact records there are from <paramref name="from"/> to the end, damage skipped.</summary>
    public long CountIntact(long from)
    {
        long count = 0;
        var next = from;
        while (next < Length)
        {
            if (TryRead(next, out var frame, out _) != Outcome.Intact)
            {
                if (FindIntact(next + 1) is not { } found)
                {
                    break;
                }

                next = found;
                continue;
            }

            count++;
            next = frame.End;
        }

        return count;
    }

    private uint Checksum(long offset, int size)
    {
        if (_record.Length < size)
        {
            _record = new byte[Math.Max(size, _record.Length * 2)];
        }

        ReadAt(offset, _record.AsSpan(0, size));
        return JournalFormat.Checksum(_record.AsSpan(0, size));
    }

    private void ReadAt(long offset, Span<byte> into)
    {
        if (_stream.Position != offset)
        {
            _stream.Position = offset;
        }

        _stream.ReadExactly(into);
    }
}
