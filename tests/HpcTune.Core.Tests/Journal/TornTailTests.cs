using HpcTune.Journal;

namespace HpcTune.Tests.Journal;

public class TornTailTests
{
    [Fact]
    public void Truncating_anywhere_in_the_last_three_records_keeps_every_record_before_the_cut()
    {
        using var dir = new TempDirectory();
        JournalFixtures.WriteVaried(dir.Path);
        var journal = Checkpoint.JournalPath(dir.Path);
        var original = File.ReadAllBytes(journal);
        var offsets = JournalFixtures.RecordOffsets(journal);
        var records = offsets.Count - 1;
        var copy = dir.Combine("cut.htj");
        for (var cut = offsets[records - 3]; cut < original.Length; cut++)
        {
            File.WriteAllBytes(copy, original[..(int)cut]);
            var contents = JournalReader.Read(copy);
            var whole = offsets.Count(o => o <= cut) - 1; // records that end at or before the cut
            Assert.Equal(offsets[whole], contents.ValidLength);
            Assert.Equal(whole - 2, contents.Events.Count); // minus the study and run records
            Assert.Equal(cut == offsets[whole], contents.TailWarning is null);
            if (contents.TailWarning is { } warning)
            {
                Assert.Contains($"byte offset {offsets[whole]}", warning, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Flipped_bytes_in_the_tail_drop_the_damaged_records_only_when_no_intact_record_follows()
    {
        using var dir = new TempDirectory();
        JournalFixtures.WriteVaried(dir.Path);
        var journal = Checkpoint.JournalPath(dir.Path);
        var original = File.ReadAllBytes(journal);
        var offsets = JournalFixtures.RecordOffsets(journal);
        var tailStart = (int)offsets[^4];
        var random = new Random(2026);
        var copy = dir.Combine("flipped.htj");
        for (var round = 0; round < 500; round++)
        {
            var damaged = (byte[])original.Clone();
            var flips = random.Next(1, 4);
            var hit = new HashSet<int>();
            for (var f = 0; f < flips; f++)
            {
                var at = random.Next(tailStart, damaged.Length);
                damaged[at] ^= (byte)random.Next(1, 256);
                hit.Add(offsets.Count(o => o <= at) - 1); // the record the byte belongs to
            }

            File.WriteAllBytes(copy, damaged);
            var first = hit.Min();
            var intactAfter = Enumerable.Range(first + 1, offsets.Count - 2 - first).Count(r => !hit.Contains(r));
            if (intactAfter == 0)
            {
                var contents = JournalReader.Read(copy);
                Assert.Equal(offsets[first], contents.ValidLength);
                Assert.NotNull(contents.TailWarning);
            }
            else
            {
                var e = Assert.Throws<JournalCorruptException>(() => JournalReader.Read(copy));
                Assert.Equal((offsets[first], first, intactAfter), (e.Offset, e.RecordNumber, e.IntactRecordsAfter));
            }
        }
    }

    [Fact]
    public void Opening_cuts_the_torn_tail_so_new_records_follow_the_good_ones()
    {
        using var dir = new TempDirectory();
        JournalFixtures.WriteVaried(dir.Path);
        var journal = Checkpoint.JournalPath(dir.Path);
        var offsets = JournalFixtures.RecordOffsets(journal);
        var bytes = File.ReadAllBytes(journal);
        File.WriteAllBytes(journal, bytes[..((int)offsets[^2] + 7)]); // the last record torn 7 bytes in
        File.Delete(journal + ".end"); // a crash: the master wrote no end mark
        int completed;
        using (var checkpoint = Checkpoint.Open(dir.Path))
        {
            Assert.NotNull(checkpoint.TailWarning);
            var tuner = checkpoint.CreateTuner();
            completed = tuner.Progress.Completed;
            tuner.Observe(tuner.Suggest("late").Trial!.Id, 0.5);
        }

        var contents = Checkpoint.Read(dir.Path);
        Assert.Null(contents.TailWarning);
        Assert.Equal(completed + 1, contents.State.CompletedCount);
    }

    [Fact]
    public void Damage_far_from_the_end_is_an_error_that_names_the_offset()
    {
        using var dir = new TempDirectory();
        var journal = Checkpoint.JournalPath(dir.Path);
        using (var checkpoint = Checkpoint.Create(dir.Path, JournalFixtures.Study(budget: 100_000, bandwidth: 1)))
        {
        }

        // Grow the journal past the tail window; the records need not be synced for this test.
        var (end, state) = (JournalReader.Read(journal).End, JournalReader.Read(journal).State);
        using (var writer = new JournalWriter(journal, end, sync: false))
        {
            var tuner = HpcTune.Tuning.Tuner.Restore(state, new HpcTune.Tuning.TunerOptions { Sink = writer });
            var padding = new Dictionary<string, HpcTune.Values.Scalar> { ["note"] = new string('p', 900) };
            while (writer.Length < 2 * JournalFormat.TailWindow)
            {
                tuner.Observe(tuner.Suggest("w").Trial!.Id, new Dictionary<string, double> { ["loss"] = 1 }, padding);
            }
        }

        var offsets = JournalFixtures.RecordOffsets(journal);
        var victim = offsets[10];
        var bytes = File.ReadAllBytes(journal);
        bytes[victim + 20] ^= 0x40;
        File.WriteAllBytes(journal, bytes);
        var e = Assert.Throws<JournalCorruptException>(() => JournalReader.Read(journal));
        Assert.Equal(victim, e.Offset);
        Assert.Contains($"byte offset {victim}", e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(journal)); // nothing was changed
    }

    [Fact]
    public void An_intact_record_of_another_format_version_is_refused()
    {
        using var dir = new TempDirectory();
        JournalFixtures.WriteVaried(dir.Path);
        var journal = Checkpoint.JournalPath(dir.Path);
        var offsets = JournalFixtures.RecordOffsets(journal);
        var bytes = File.ReadAllBytes(journal);
        var last = (int)offsets[^2];
        bytes[last + 4] = 3; // version 3, then a checksum that matches it
        JournalFixtures.Reseal(bytes, last);
        File.WriteAllBytes(journal, bytes);
        var e = Assert.Throws<JournalCorruptException>(() => JournalReader.Read(journal));
        Assert.Contains("format version 3", e.Message, StringComparison.Ordinal);
    }
}
