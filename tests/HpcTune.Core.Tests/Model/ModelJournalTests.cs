using System.Text;
using HpcTune.Journal;
using HpcTune.Space;
using HpcTune.Tests.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Tests.Model;

/// <summary>The second edition's records (reported, pruned, spawned; boolean metadata; conditional assignments) through a real checkpoint.</summary>
public sealed class ModelJournalTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly TrialLineage Lineage = new(Member: 4, Generation: 1, ParentTrialId: 1, CheckpointDirectory: "trials/trial-2/checkpoint");

    /// <summary>Trial 1 reports twice and is pruned; trial 2 is spawned with a lineage and observed with boolean metadata; trial 3 stays open.</summary>
    private IReadOnlyList<Trial> Write()
    {
        using var checkpoint = Checkpoint.Create(_dir.Path, ModelStudies.Conditional("random", budget: 10));
        var tuner = checkpoint.CreateTuner();
        var first = tuner.Suggest("w1").Trial!;
        tuner.ReportProgress(first.Id, 1, new Dictionary<string, double> { ["loss"] = 0.8 });
        tuner.ReportProgress(first.Id, 4, new Dictionary<string, double> { ["loss"] = 0.6 });
        tuner.Prune(first.Id, "median: worse than the median at step 4");

        // What population based training does: a trial placed in a population (its sampler is another item's work).
        var spawned = new TrialCreated(2, first.Assignment, "w2", DateTimeOffset.UnixEpoch.AddDays(1), Lineage);
        checkpoint.Writer.Append(spawned);
        var state = tuner.CopyState();
        state.Apply(spawned);
        var resumed = Tuner.Restore(state, new TunerOptions { Sink = checkpoint.Writer });
        resumed.Observe(2, new Dictionary<string, double> { ["loss"] = 0.3 }, new Dictionary<string, Scalar> { ["converged"] = Scalar.FromBoolean(true), ["device"] = "gpu0", ["epochs"] = 12 });
        resumed.Suggest("w3");
        return resumed.Trials;
    }

    [Fact]
    public void New_record_kinds_round_trip_through_the_journal()
    {
        var written = Write();
        var contents = Checkpoint.Read(_dir.Path);
        Assert.Equal(written.Select(JournalFixtures.Describe), contents.State.Trials.Select(JournalFixtures.Describe));
        var trials = contents.State.Trials;
        Assert.Equal((TrialState.Pruned, 0.6), (trials[0].State, trials[0].Values!["loss"]));
        Assert.Equal([1L, 4L], trials[0].Reports.Select(r => r.Step));
        Assert.Equal(Lineage, trials[1].Lineage);
        Assert.True(trials[1].Metadata["converged"].Boolean);
        Assert.Equal((1, 1, 1), (contents.State.PrunedCount, contents.State.CompletedCount, contents.State.OpenCount));
        Assert.All(trials, t => Assert.True(ModelStudies.HoldsExactlyTheActive(contents.Definition.Space, t.Assignment)));
    }

    [Fact]
    public void A_trial_without_a_lineage_is_still_a_created_record_and_the_new_kinds_have_their_own_names()
    {
        Write();
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(Checkpoint.JournalPath(_dir.Path)));
        Assert.Contains("\"type\":\"created\",\"trial\":1,", text, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"spawned\",\"trial\":2,", text, StringComparison.Ordinal);
        Assert.Contains("\"lineage\":{\"member\":4,\"generation\":1,\"parent\":1,\"checkpoint_dir\":\"trials/trial-2/checkpoint\"}", text, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"reported\",\"trial\":1,", text, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"pruned\",\"trial\":1,", text, StringComparison.Ordinal);
        Assert.Contains("\"converged\":true", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_continues_a_checkpoint_with_the_new_records_to_its_budget()
    {
        Write();
        using var checkpoint = Checkpoint.Open(_dir.Path);
        var tuner = checkpoint.CreateTuner();
        tuner.InterruptOpen("the master restarted");
        Assert.Equal(3, tuner.Suggest("w").Trial!.Id); // open when the master stopped: interrupted, handed out first
        while (tuner.Suggest("w") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            tuner.Observe(trial.Id, 0.5);
        }

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.Equal((9, 1), (tuner.Progress.Completed, tuner.Progress.Pruned));
    }

    /// <summary>Flips a bit in the first record that holds <paramref name="marker"/>.</summary>
    private void Damage(string marker)
    {
        var journal = Checkpoint.JournalPath(_dir.Path);
        var offsets = JournalFixtures.RecordOffsets(journal);
        var bytes = File.ReadAllBytes(journal);
        var records = offsets.Take(offsets.Count - 1).Select(o => Encoding.UTF8.GetString(bytes, (int)o + 16, (int)BitConverter.ToUInt32(bytes, (int)o + 8))).ToList();
        var index = records.FindIndex(r => r.Contains(marker, StringComparison.Ordinal));
        bytes[offsets[index] + 30] ^= 4;
        File.WriteAllBytes(journal, bytes);
    }

    [Fact]
    public void Repair_replaces_a_lost_creation_in_a_conditional_space_with_a_valid_placeholder()
    {
        Write();
        Damage("\"type\":\"created\",\"trial\":1,");
        var report = Checkpoint.Repair(_dir.Path);
        Assert.True(report.Repaired);
        var contents = Checkpoint.Read(_dir.Path);
        var placeholder = contents.State.Trials[0];
        Assert.Equal((TrialState.Deleted, "journal-repair"), (placeholder.State, placeholder.Worker));
        Assert.True(ModelStudies.HoldsExactlyTheActive(contents.Definition.Space, placeholder.Assignment));
        Assert.Equal(Lineage, contents.State.Trials[1].Lineage); // the spawned trial after it is kept
    }

    [Fact]
    public void Repair_drops_a_damaged_report_and_keeps_the_new_records_after_it()
    {
        Write();
        Damage("\"step\":4");
        Assert.Throws<JournalCorruptException>(() => Checkpoint.Read(_dir.Path));

        var report = Checkpoint.Repair(_dir.Path);
        Assert.True(report.Repaired);
        var trials = Checkpoint.Read(_dir.Path).State.Trials;
        Assert.Equal([1L], trials[0].Reports.Select(r => r.Step));
        Assert.Equal((TrialState.Pruned, 0.8), (trials[0].State, trials[0].Values!["loss"])); // the last report left
        Assert.Equal(Lineage, trials[1].Lineage);
        Assert.True(trials[1].Metadata["converged"].Boolean);
    }
}
