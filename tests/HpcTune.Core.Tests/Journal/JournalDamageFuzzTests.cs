using System.Globalization;
using HpcTune.Journal;

namespace HpcTune.Tests.Journal;

/// <summary>
/// Issue 23 item 1: random damage to copies of one real journal, seeded. Whatever the damage, reading never crashes
/// or hangs and never drops an intact record silently: it refuses with a <see cref="JournalCorruptException"/> or
/// <see cref="CheckpointException"/>, or recovers every record before the damage and reports the dropped tail (only
/// when no intact record follows). Every refused case is then repaired: repair keeps every intact original record
/// unless it names it as dropped, and its result reads cleanly. CI runs 300 cases; bench/journal-fuzz.sh runs more
/// through HPCTUNE_FUZZ_CASES and writes the tally to HPCTUNE_FUZZ_REPORT.
/// </summary>
public class JournalDamageFuzzTests
{
    private static readonly string[] Kinds =
        ["bit flips", "truncation", "cut at a record boundary", "bytes inserted", "bytes deleted", "records swapped", "record deleted", "record repeated", "zeroed range", "garbage appended"];

    [Fact]
    public void Random_damage_is_refused_or_recovered_never_dropped_silently()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("HPCTUNE_FUZZ_CASES"), CultureInfo.InvariantCulture, out var n) ? n : 300;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HPCTUNE_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 23;
        using var source = new TempDirectory();
        JournalFixtures.WriteVaried(source.Path, rounds: 15);
        var original = new Original(Checkpoint.JournalPath(source.Path));
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        using var work = new TempDirectory();
        for (var i = 0; i < cases; i++)
        {
            var random = new Random(HashCode.Combine(seed, i));
            var (kind, damaged) = Damage(original, random);
            if (damaged.AsSpan().SequenceEqual(original.Bytes))
            {
                continue;
            }

            var withMark = random.Next(2) == 0;
            var outcome = RunWithin(TimeSpan.FromSeconds(60), () => Check(original, damaged, withMark, work.Path), $"case {i} ({kind}, seed {seed})");
            var key = $"{outcome}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
        }

        var summary = $"{cases} cases, seed {seed}: " + string.Join(", ", tally.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}")) + "; 0 crashes, 0 hangs, 0 intact records dropped silently";
        if (Environment.GetEnvironmentVariable("HPCTUNE_FUZZ_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllText(report, summary + "\n");
        }

        Assert.True(tally.Values.Sum() > cases * 9 / 10, summary);
    }

    private static string RunWithin(TimeSpan limit, Func<string> check, string name)
    {
        var task = Task.Run(check, TestContext.Current.CancellationToken);
        Assert.True(task.Wait(limit, TestContext.Current.CancellationToken), $"{name}: no answer within {limit} (a hang)");
        return task.Result;
    }

    /// <summary>One case: read, and when refused, repair. Returns the outcome's name; fails the test on a broken promise.</summary>
    private static string Check(Original original, byte[] damaged, bool withMark, string directory)
    {
        foreach (var file in Directory.GetFiles(directory))
        {
            File.Delete(file);
        }

        var journal = Checkpoint.JournalPath(directory);
        File.WriteAllBytes(journal, damaged);
        if (withMark)
        {
            File.Copy(original.Path + ".end", journal + ".end");
        }

        JournalContents contents;
        try
        {
            contents = JournalReader.Read(journal);
        }
        catch (Exception e) when (e is JournalCorruptException or CheckpointException)
        {
            Assert.Equal(damaged, File.ReadAllBytes(journal)); // refused, and nothing changed
            return Repair(original, damaged, directory);
        }

        var diverges = damaged.AsSpan().CommonPrefixLength(original.Bytes);
        var wholeBefore = original.Offsets.Count(o => o <= diverges) - 1; // records wholly before the first changed byte
        var events = Encoded(contents);
        Assert.Equal(original.Events[..events.Count], events); // a prefix, in order
        if (contents.TailWarning is null)
        {
            // Nothing reported dropped: all there, or the one damage nothing can see (a cut at a record boundary with no end mark).
            var cutAtBoundary = !withMark && original.Offsets.Contains(damaged.Length) && original.Bytes.AsSpan().StartsWith(damaged);
            Assert.True(events.Count == original.Events.Count || cutAtBoundary, "records dropped without a word");
            return cutAtBoundary ? "cut at a boundary, no end mark: undetectable" : "read whole";
        }

        Assert.True(contents.End.Records >= Math.Min(wholeBefore, original.Offsets.Count - 1), "records before the damage dropped");
        for (var r = 0; r < original.Offsets.Count - 1; r++)
        {
            var at = damaged.AsSpan().IndexOf(original.Record(r));
            Assert.False(at >= contents.ValidLength, $"a torn tail dropped record {r}, intact at byte {at}");
        }

        return "torn tail dropped";
    }

    private static string Repair(Original original, byte[] damaged, string directory)
    {
        JournalRepairReport report;
        try
        {
            report = Checkpoint.Repair(directory);
        }
        catch (CheckpointException)
        {
            Assert.True(damaged.AsSpan().IndexOf(original.Record(0)) < 0, "the study record is intact, yet repair gave up");
            return "refused, unrepairable (study record damaged)";
        }

        var contents = JournalReader.Read(Checkpoint.JournalPath(directory));
        Assert.Null(contents.TailWarning);
        if (!report.Repaired)
        {
            return "refused, healthy to repair (end mark only)";
        }

        Assert.Equal(damaged, File.ReadAllBytes(report.BackupPath!));
        var kept = Encoded(contents).ToHashSet(StringComparer.Ordinal);
        var lines = string.Join('\n', report.Lines);
        for (var r = 0; r < original.Offsets.Count - 1; r++)
        {
            var at = damaged.AsSpan().IndexOf(original.Record(r));
            if (at < 0 || original.EventOf(r) is not { } e)
            {
                continue;
            }

            Assert.True(kept.Contains(e) || lines.Contains($"byte offset {at}", StringComparison.Ordinal), $"repair dropped intact record {r} (byte {at}) without naming it:\n{lines}");
        }

        return "refused, then repaired";
    }

    private static (string Kind, byte[] Damaged) Damage(Original o, Random random)
    {
        var bytes = o.Bytes;
        var records = o.Offsets.Count - 1;
        var r = random.Next(1, records - 1);
        var (a, b) = ((int)o.Offsets[r], (int)o.Offsets[r + 1]);
        var kind = Kinds[random.Next(Kinds.Length)];
        var at = random.Next(bytes.Length);
        byte[] damaged;
        switch (kind)
        {
            case "bit flips":
                damaged = (byte[])bytes.Clone();
                for (var f = random.Next(1, 4); f > 0; f--)
                {
                    damaged[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                break;
            case "truncation":
                damaged = bytes[..at];
                break;
            case "cut at a record boundary":
                damaged = bytes[..a];
                break;
            case "bytes inserted":
                var inserted = new byte[random.Next(1, 40)];
                random.NextBytes(inserted);
                damaged = [.. bytes[..at], .. inserted, .. bytes[at..]];
                break;
            case "bytes deleted":
                damaged = [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + random.Next(1, 200))..]];
                break;
            case "records swapped":
                var c = (int)o.Offsets[r + 2];
                damaged = [.. bytes[..a], .. bytes[b..c], .. bytes[a..b], .. bytes[c..]];
                break;
            case "record deleted":
                damaged = [.. bytes[..a], .. bytes[b..]];
                break;
            case "record repeated":
                damaged = [.. bytes[..b], .. bytes[a..b], .. bytes[b..]];
                break;
            case "zeroed range":
                damaged = (byte[])bytes.Clone();
                damaged.AsSpan(at, Math.Min(bytes.Length - at, random.Next(1, 300))).Clear();
                break;
            default:
                var garbage = new byte[random.Next(1, 100)];
                random.NextBytes(garbage);
                damaged = [.. bytes, .. garbage];
                break;
        }

        return (kind, damaged);
    }

    private static List<string> Encoded(JournalContents contents) =>
        [.. contents.Events.Select(e => System.Text.Encoding.UTF8.GetString(JournalRecordCodec.EncodeEvent(e)))];

    /// <summary>The undamaged journal: its bytes, record offsets and events, each event by its record number.</summary>
    private sealed class Original
    {
        private readonly Dictionary<int, string> _eventOf = [];

        public Original(string path)
        {
            Path = path;
            Bytes = File.ReadAllBytes(path);
            Offsets = JournalFixtures.RecordOffsets(path);
            Events = Encoded(JournalReader.Read(path));
            var e = 0;
            for (var r = 0; r < Offsets.Count - 1; r++)
            {
                var text = System.Text.Encoding.UTF8.GetString(Record(r));
                if (!text.Contains("\"type\":\"study\"", StringComparison.Ordinal) && !text.Contains("\"type\":\"run\"", StringComparison.Ordinal))
                {
                    _eventOf[r] = Events[e++];
                }
            }

            Assert.Equal(Events.Count, _eventOf.Count);
        }

        public string Path { get; }

        public byte[] Bytes { get; }

        public List<long> Offsets { get; }

        public List<string> Events { get; }

        public byte[] Record(int number) => Bytes[(int)Offsets[number]..(int)Offsets[number + 1]];

        public string? EventOf(int record) => _eventOf.GetValueOrDefault(record);
    }
}
