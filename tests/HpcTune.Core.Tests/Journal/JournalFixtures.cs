using HpcTune.Journal;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Tests.Journal;

/// <summary>Studies and journals written through the real checkpoint code.</summary>
internal static class JournalFixtures
{
    public static StudyDefinition Study(int budget = 20, int bandwidth = 3) =>
        new("journal-test",
            [ParameterDefinition.Double("x", -1, 1), ParameterDefinition.Int("n", 1, 9), ParameterDefinition.Categorical("c", "a", "b", "\"; rm -rf ~")],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("aux", MetricObjective.Minimize, MetricStrategy.Store)],
            budget, bandwidth, 50, new AlgorithmSpec("sobol", 17));

    /// <summary>
    /// Writes a journal exercising every event kind through a checkpoint and returns the directory;
    /// the tuner's trials are returned for comparison.
    /// </summary>
    public static IReadOnlyList<HpcTune.Trials.Trial> WriteVaried(string directory, int rounds = 6)
    {
        using var checkpoint = Checkpoint.Create(directory, Study());
        checkpoint.Writer.AppendRun(new RunInfo(DateTimeOffset.UnixEpoch, "host", 1, "command", ["/bin/true", "{x}"], 5));
        var tuner = checkpoint.CreateTuner();
        for (var i = 0; i < rounds; i++)
        {
            var a = tuner.Suggest("w1").Trial!;
            var b = tuner.Suggest("w2").Trial!;
            tuner.Observe(a.Id, new Dictionary<string, double> { ["loss"] = i * 0.1, ["aux"] = -i }, new Dictionary<string, Scalar> { ["host"] = "n" + i, ["rank"] = i });
            if (i % 3 == 0)
            {
                tuner.Fail(b.Id, $"failure {i}", new Dictionary<string, Scalar> { ["exit_code"] = 3 });
            }
            else if (i % 3 == 1)
            {
                tuner.Release(b.Id, "lease expired");
            }
            else
            {
                tuner.Delete(b.Id);
            }
        }

        tuner.SetObservationBudget(25);
        return tuner.Trials;
    }

    /// <summary>Everything about a trial as one string, dictionaries included, for whole-trial comparisons.</summary>
    public static string Describe(HpcTune.Trials.Trial t) =>
        $"{t.Id}|{t.State}|{t.Assignment}|{t.Worker}|{t.Attempts}|{t.CreatedAt:O}|{t.SuggestedAt:O}|{t.FinishedAt:O}|{t.Reason}|"
        + string.Join(",", (t.Values ?? new Dictionary<string, double>()).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value:R}")) + "|"
        + string.Join(",", t.Metadata.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={(v.Value.IsText ? "s:" : v.Value.IsBoolean ? "b:" : "")}{v.Value}")) + "|"
        + string.Join(";", t.Reports.Select(r => $"{r.Step}@{r.Time:O}:" + string.Join(",", r.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value:R}")))) + "|"
        + t.Lineage;

    /// <summary>Byte offsets at which each record of a journal starts, plus its length at the end.</summary>
    public static List<long> RecordOffsets(string journal)
    {
        var bytes = File.ReadAllBytes(journal);
        var offsets = new List<long>();
        long offset = 0;
        while (offset < bytes.Length)
        {
            offsets.Add(offset);
            offset += 16 + BitConverter.ToUInt32(bytes, (int)offset + 8);
        }

        offsets.Add(bytes.Length);
        return offsets;
    }

    /// <summary>
    /// Recomputes the checksum of the record at <paramref name="offset"/> as docs/journal.md defines it, as someone
    /// editing a journal by hand would: bytes 4–11 and everything after the first 16 bytes.
    /// </summary>
    public static void Reseal(byte[] bytes, int offset)
    {
        var length = (int)BitConverter.ToUInt32(bytes, offset + 8);
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(bytes.AsSpan(offset + 4, 8));
        crc.Append(bytes.AsSpan(offset + 16, length));
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 12), crc.GetCurrentHashAsUInt32());
    }
}
