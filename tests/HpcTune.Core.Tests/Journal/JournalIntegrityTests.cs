using HpcTune.Journal;

namespace HpcTune.Tests.Journal;

/// <summary>Issue 23 item 1: damage a crash cannot explain is refused, never taken for a torn tail.</summary>
public class JournalIntegrityTests
{
    private static (TempDirectory Dir, string Journal, byte[] Bytes, List<long> Offsets) Varied()
    {
        var dir = new TempDirectory();
        JournalFixtures.WriteVaried(dir.Path, rounds: 12);
        var journal = Checkpoint.JournalPath(dir.Path);
        return (dir, journal, File.ReadAllBytes(journal), JournalFixtures.RecordOffsets(journal));
    }

    private static JournalCorruptException Refused(string journal, byte[] damaged)
    {
        File.WriteAllBytes(journal, damaged);
        var e = Assert.Throws<JournalCorruptException>(() => JournalReader.Read(journal));
        Assert.Equal(damaged, File.ReadAllBytes(journal)); // reading changes nothing
        Assert.Contains("HpcTune repair --checkpoint", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void A_flipped_bit_with_intact_records_after_it_is_refused_naming_the_record_and_what_follows()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        var records = offsets.Count - 1;
        for (var victim = 1; victim < records - 1; victim++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[offsets[victim] + 20] ^= 0x10;
            var e = Refused(journal, damaged);
            Assert.Equal(offsets[victim], e.Offset);
            Assert.Equal(victim, e.RecordNumber);
            Assert.Equal(records - victim - 1, e.IntactRecordsAfter);
            Assert.Contains($"record number {victim}", e.Message, StringComparison.Ordinal);
            Assert.Contains($"{records - victim - 1} intact records follow", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Opening_a_checkpoint_damaged_in_the_middle_refuses_and_does_not_cut_the_file()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        var damaged = (byte[])bytes.Clone();
        damaged[offsets[5] + 3] = (byte)'X'; // the magic
        File.WriteAllBytes(journal, damaged);
        Assert.Throws<JournalCorruptException>(() => Checkpoint.Open(dir.Path));
        Assert.Equal(damaged, File.ReadAllBytes(journal));
    }

    [Fact]
    public void Two_adjacent_records_swapped_are_refused()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        var (a, b, end) = ((int)offsets[6], (int)offsets[7], (int)offsets[8]);
        byte[] damaged = [.. bytes[..a], .. bytes[b..end], .. bytes[a..b], .. bytes[end..]];
        var e = Refused(journal, damaged);
        Assert.Equal(a, e.Offset);
    }

    [Fact]
    public void A_record_deleted_from_the_middle_is_refused()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        foreach (var victim in new[] { 3, 9, offsets.Count - 3 })
        {
            var (a, b) = ((int)offsets[victim], (int)offsets[victim + 1]);
            var e = Refused(journal, [.. bytes[..a], .. bytes[b..]]);
            Assert.Equal(a, e.Offset);
        }
    }

    [Fact]
    public void A_record_repeated_is_refused()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        var (a, b) = ((int)offsets[4], (int)offsets[5]);
        Refused(journal, [.. bytes[..b], .. bytes[a..b], .. bytes[b..]]);
    }

    [Fact]
    public void A_record_changed_and_resealed_with_a_valid_checksum_is_refused()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var at = text.IndexOf("\"trial\":3", StringComparison.Ordinal); // the first record of trial 3 now names trial 4
        Assert.True(at > 0);
        var damaged = (byte[])bytes.Clone();
        damaged[at + 8] = (byte)'4';
        var record = offsets.Last(o => o < at);
        JournalFixtures.Reseal(damaged, (int)record);
        Refused(journal, damaged);
    }

    [Fact]
    public void A_cut_exactly_at_a_record_boundary_of_a_cleanly_stopped_journal_is_refused()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        foreach (var records in new[] { offsets.Count - 2, offsets.Count - 5 })
        {
            var e = Refused(journal, bytes[..(int)offsets[records]]);
            Assert.Contains("stopped cleanly", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_last_record_replaced_and_resealed_in_a_cleanly_stopped_journal_is_refused()
    {
        var (dir, journal, bytes, offsets) = Varied();
        using var _ = dir;
        var damaged = (byte[])bytes.Clone();
        var last = (int)offsets[^2];
        var text = System.Text.Encoding.UTF8.GetString(bytes, last, bytes.Length - last);
        var at = last + text.IndexOf("\"observation_budget\":25", StringComparison.Ordinal);
        damaged[at + "\"observation_budget\":2".Length] = (byte)'9';
        JournalFixtures.Reseal(damaged, last);
        Refused(journal, damaged);
    }
}
