using HpcTune.Journal;
using Microsoft.Extensions.Time.Testing;

namespace HpcTune.Tests.Journal;

/// <summary>Issue 23 item 1: <c>repair</c> keeps every intact record that replays consistently, and a backup.</summary>
public class JournalRepairTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);

    private sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            JournalFixtures.WriteVaried(Dir.Path, rounds: 12);
            Bytes = File.ReadAllBytes(Journal);
            Offsets = JournalFixtures.RecordOffsets(Journal);
            Events = Encoded(Checkpoint.Read(Dir.Path));
        }

        public TempDirectory Dir { get; } = new();

        public string Journal => Checkpoint.JournalPath(Dir.Path);

        public byte[] Bytes { get; }

        public List<long> Offsets { get; }

        public List<string> Events { get; }

        public byte[] Record(int number) => Bytes[(int)Offsets[number]..(int)Offsets[number + 1]];

        /// <summary>Writes <paramref name="damaged"/>, repairs, checks the backup and that the result reads cleanly.</summary>
        public (JournalRepairReport Report, List<string> Events) Repair(byte[] damaged)
        {
            File.WriteAllBytes(Journal, damaged);
            var report = Checkpoint.Repair(Dir.Path, new FakeTimeProvider(Now));
            Assert.True(report.Repaired, string.Join('\n', report.Lines));
            Assert.Equal(damaged, File.ReadAllBytes(report.BackupPath!));
            var contents = Checkpoint.Read(Dir.Path);
            Assert.Null(contents.TailWarning);
            Assert.Equal(JournalFormat.Version, contents.End.Version);
            return (report, WithoutAdded(Encoded(contents), report));
        }

        public void Dispose() => Dir.Dispose();
    }

    private static List<string> Encoded(JournalContents contents) =>
        [.. contents.Events.Select(e => System.Text.Encoding.UTF8.GetString(JournalRecordCodec.EncodeEvent(e)))];

    /// <summary>The events less those repair added (placeholders, interruptions), each of which it reports.</summary>
    private static List<string> WithoutAdded(List<string> events, JournalRepairReport report)
    {
        var placeholders = events.Where(e => e.Contains($"\"worker\":\"{JournalRepairBridge.Worker}\"", StringComparison.Ordinal))
            .Select(e => System.Text.Json.JsonDocument.Parse(e).RootElement.GetProperty("trial").GetInt64()).ToHashSet();
        var added = events.Where(e => e.Contains("(repair)", StringComparison.Ordinal)
            || (placeholders.Contains(System.Text.Json.JsonDocument.Parse(e).RootElement.TryGetProperty("trial", out var t) ? t.GetInt64() : 0)
                && (e.Contains("\"type\":\"created\"", StringComparison.Ordinal) || e.Contains("\"type\":\"deleted\"", StringComparison.Ordinal)))).ToList();
        Assert.Equal(added.Count > 0, report.Lines.Any(l => l.StartsWith("added:", StringComparison.Ordinal)));
        return [.. events.Except(added)];
    }

    private static void AssertSubsequence(List<string> whole, List<string> part)
    {
        var i = 0;
        foreach (var e in part)
        {
            while (i < whole.Count && whole[i] != e)
            {
                i++;
            }

            Assert.True(i < whole.Count, $"not in the original, in order: {e}");
            i++;
        }
    }

    [Fact]
    public void A_healthy_journal_is_left_alone()
    {
        using var f = new Fixture();
        var report = Checkpoint.Repair(f.Dir.Path);
        Assert.False(report.Repaired);
        Assert.Contains("nothing to repair", Assert.Single(report.Lines), StringComparison.Ordinal);
        Assert.Null(report.BackupPath);
        Assert.Equal(f.Bytes, File.ReadAllBytes(f.Journal));
        Assert.Empty(Directory.GetFiles(f.Dir.Path, "*.bak-*"));
    }

    [Fact]
    public void A_flipped_bit_costs_only_that_record_and_the_records_that_needed_it_each_named()
    {
        using var f = new Fixture();
        for (var victim = 2; victim < f.Offsets.Count - 2; victim += 5)
        {
            var damaged = (byte[])f.Bytes.Clone();
            damaged[f.Offsets[victim] + 30] ^= 1;
            var (report, events) = f.Repair(damaged);
            AssertSubsequence(f.Events, events);
            var dropped = report.Lines.Count(l => l.StartsWith("dropped:", StringComparison.Ordinal));
            Assert.Equal(f.Events.Count - events.Count, dropped); // the damaged record, plus one line per contradiction
            Assert.Contains(report.Lines, l => l.Contains($"bytes {f.Offsets[victim]} to {f.Offsets[victim + 1] - 1}", StringComparison.Ordinal));
            File.WriteAllBytes(f.Journal, f.Bytes);
            JournalEndMark.Write(f.Journal, new JournalEnd(f.Bytes.Length, JournalFormat.Version, f.Offsets.Count - 1, BitConverter.ToUInt32(f.Bytes, (int)f.Offsets[^2] + 12)), Now);
        }
    }

    [Fact]
    public void Swapped_records_are_put_back_in_order_and_nothing_is_lost()
    {
        using var f = new Fixture();
        var (a, b, end) = ((int)f.Offsets[6], (int)f.Offsets[7], (int)f.Offsets[8]);
        var (_, events) = f.Repair([.. f.Bytes[..a], .. f.Bytes[b..end], .. f.Bytes[a..b], .. f.Bytes[end..]]);
        Assert.Equal(f.Events, events);
    }

    [Fact]
    public void A_repeated_record_is_dropped_as_a_copy_and_nothing_else_is()
    {
        using var f = new Fixture();
        var b = (int)f.Offsets[5];
        var (report, events) = f.Repair([.. f.Bytes[..b], .. f.Record(4), .. f.Bytes[b..]]);
        Assert.Equal(f.Events, events);
        Assert.Contains(report.Lines, l => l.Contains("a repeated copy of record number 4", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deleted_record_is_reported_missing_and_the_rest_kept()
    {
        using var f = new Fixture();
        var (a, b) = ((int)f.Offsets[9], (int)f.Offsets[10]);
        var (report, events) = f.Repair([.. f.Bytes[..a], .. f.Bytes[b..]]);
        AssertSubsequence(f.Events, events);
        Assert.Contains(report.Lines, l => l.Contains("record number 9 is missing", StringComparison.Ordinal));
        Assert.Equal(f.Events.Count - 1 - report.Lines.Count(l => l.StartsWith("dropped:", StringComparison.Ordinal)), events.Count);
    }

    [Fact]
    public void A_journal_cut_at_a_record_boundary_says_what_is_lost_and_reads_again()
    {
        using var f = new Fixture();
        var (report, events) = f.Repair(f.Bytes[..(int)f.Offsets[^3]]);
        Assert.Contains(report.Lines, l => l.StartsWith("lost:", StringComparison.Ordinal));
        Assert.Equal(f.Events[..^2], events);
    }

    [Fact]
    public void Repairs_in_the_same_second_never_overwrite_a_backup()
    {
        using var f = new Fixture();
        var damaged = (byte[])f.Bytes.Clone();
        damaged[f.Offsets[3] + 20] ^= 4;
        var first = f.Repair(damaged).Report.BackupPath;
        var again = (byte[])damaged.Clone();
        again[^5] ^= 4;
        var second = f.Repair(again).Report.BackupPath;
        Assert.NotEqual(first, second);
        Assert.Equal(damaged, File.ReadAllBytes(first!));
    }

    [Fact]
    public void A_version_1_journal_is_repaired_in_version_1_and_resumes_in_version_1()
    {
        using var dir = new TempDirectory();
        var journal = Checkpoint.JournalPath(dir.Path);
        var golden = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "golden-journal-v1.htj"));
        var before = Encoded(JournalReader.Read(Path.Combine(AppContext.BaseDirectory, "Data", "golden-journal-v1.htj")));
        File.WriteAllBytes(journal, golden);
        var offsets = JournalFixtures.RecordOffsets(journal);
        golden[offsets[4] + 20] ^= 2;
        File.WriteAllBytes(journal, golden);
        Assert.Throws<JournalCorruptException>(() => JournalReader.Read(journal));
        var report = Checkpoint.Repair(dir.Path);
        Assert.True(report.Repaired);
        var repaired = JournalReader.Read(journal);
        Assert.Equal(1, repaired.End.Version);
        AssertSubsequence(before, WithoutAdded(Encoded(repaired), report));

        using (var checkpoint = Checkpoint.Open(dir.Path))
        {
            var tuner = checkpoint.CreateTuner();
            tuner.Observe(tuner.Suggest("late").Trial!.Id, new Dictionary<string, double> { ["loss"] = 0.5 });
        }

        var resumed = JournalReader.Read(journal);
        Assert.Equal(1, resumed.End.Version);
        Assert.All(JournalFixtures.RecordOffsets(journal).SkipLast(1), o => Assert.Equal(1, BitConverter.ToUInt16(File.ReadAllBytes(journal), (int)o + 4)));
        Assert.Equal(repaired.State.CompletedCount + 1, resumed.State.CompletedCount);
    }
}
