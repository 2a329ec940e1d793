using System.Buffers.Binary;
using System.IO.Hashing;

namespace HpcTune.Journal;

/// <summary>
/// The on-disk record framing (docs/journal.md): a 16-byte header — magic "HTJR", format version (u16),
/// reserved (u16), payload length (u32), CRC-32 of version, reserved, length and payload (u32) — then the
/// payload, one UTF-8 JSON object. All integers little-endian.
/// </summary>
internal static class JournalFormat
{
    public const string FileName = "journal.htj";
    public const ushort Version = 1;
    public const int HeaderSize = 16;

    /// <summary>Largest payload accepted.</summary>
    public const int MaxPayload = 1 << 20;

    /// <summary>
    /// Damage that starts within this many bytes of the end is a torn tail; earlier damage is corruption. A crash can
    /// only tear what was not yet synced: at most one record (synced writer), or less than
    /// <see cref="JournalWriter.AutoSyncBytes"/> plus one record (group commit) — both within this window.
    /// </summary>
    public const int TailWindow = JournalWriter.AutoSyncBytes + HeaderSize + MaxPayload;

    public static ReadOnlySpan<byte> Magic => "HTJR"u8;

    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload)
        {
            throw new ArgumentException($"a journal record may hold at most {MaxPayload} bytes; this one has {payload.Length} (is the metadata too large?)");
        }

        var record = new byte[HeaderSize + payload.Length];
        Magic.CopyTo(record);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)payload.Length);
        payload.CopyTo(record.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), Checksum(record));
        return record;
    }

    /// <summary>CRC-32 over everything in a framed record but the magic and the checksum field itself.</summary>
    public static uint Checksum(ReadOnlySpan<byte> record)
    {
        var crc = new Crc32();
        crc.Append(record[4..12]);
        crc.Append(record[HeaderSize..]);
        return crc.GetCurrentHashAsUInt32();
    }
}
