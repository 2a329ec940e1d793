using System.Buffers.Binary;
using System.IO.Hashing;

namespace HpcTune.Journal;

/// <summary>
/// The on-disk record framing (docs/journal.md). Every version starts with 16 bytes: magic "HTJR", format version
/// (u16), reserved (u16), the length of what follows these 16 bytes (u32), and the CRC-32 (u32) of bytes 4–11 and
/// of everything after byte 16. Version 2, written by this HpcTune, then has the sequence number (u64: the
/// record's number, the study record is 0) and the link (u32: the previous record's CRC, 0 for the first); version
/// 1 (still read, and continued when a version 1 journal is resumed) has nothing more. Then the payload, one UTF-8
/// JSON object. All integers little-endian. Because the length and CRC cover the same bytes in both versions, a
/// reader of version 1 sees a version 2 record as intact and refuses it by its version.
/// </summary>
internal static class JournalFormat
{
    public const string FileName = "journal.htj";

    /// <summary>The version new journals are written in.</summary>
    public const ushort Version = 2;

    /// <summary>The oldest version still read.</summary>
    public const ushort FirstVersion = 1;

    /// <summary>The header of a version 1 record; also the bytes every version starts with.</summary>
    public const int HeaderSizeV1 = 16;

    /// <summary>The header of a version 2 record.</summary>
    public const int HeaderSizeV2 = 28;

    /// <summary>The largest header of any version.</summary>
    public const int MaxHeaderSize = HeaderSizeV2;

    /// <summary>Largest payload accepted.</summary>
    public const int MaxPayload = 1 << 20;

    /// <summary>
    /// Damage that starts within this many bytes of the end can be a torn tail (if no intact record follows it);
    /// earlier damage is corruption. A crash can only tear what was not yet synced: at most one record (synced
    /// writer), or less than <see cref="JournalWriter.AutoSyncBytes"/> plus one record (group commit).
    /// </summary>
    public const int TailWindow = JournalWriter.AutoSyncBytes + MaxHeaderSize + MaxPayload;

    public static ReadOnlySpan<byte> Magic => "HTJR"u8;

    /// <summary>Header size of <paramref name="version"/>, or 0 for a version this HpcTune does not know.</summary>
    public static int HeaderSize(ushort version) => version switch
    {
        1 => HeaderSizeV1,
        2 => HeaderSizeV2,
        _ => 0,
    };

    /// <summary>Frames <paramref name="payload"/> as record number <paramref name="sequence"/> following a record whose checksum is <paramref name="link"/>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, ushort version, long sequence, uint link)
    {
        if (payload.Length > MaxPayload)
        {
            throw new ArgumentException($"a journal record may hold at most {MaxPayload} bytes; this one has {payload.Length} (is the metadata too large?)");
        }

        var headerSize = HeaderSize(version);
        var record = new byte[headerSize + payload.Length];
        Magic.CopyTo(record);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(4), version);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)(record.Length - HeaderSizeV1));
        if (version >= 2)
        {
            BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(16), sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(24), link);
        }

        payload.CopyTo(record.AsSpan(headerSize));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), Checksum(record));
        return record;
    }

    /// <summary>The checksum a framed record carries (what the next version 2 record links to).</summary>
    public static uint StoredChecksum(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);

    /// <summary>CRC-32 over everything in a framed record but the magic and the checksum field itself.</summary>
    public static uint Checksum(ReadOnlySpan<byte> record)
    {
        var crc = new Crc32();
        crc.Append(record[4..12]);
        crc.Append(record[HeaderSizeV1..]);
        return crc.GetCurrentHashAsUInt32();
    }
}
