using HpcTune.Journal;
using HpcTune.Tuning;

namespace HpcTune.Tests.Journal;

public class JournalRoundTripTests
{
    [Fact]
    public void Replaying_the_journal_rebuilds_every_trial_exactly()
    {
        using var dir = new TempDirectory();
        var written = JournalFixtures.WriteVaried(dir.Path);
        var contents = Checkpoint.Read(dir.Path);
        Assert.Null(contents.TailWarning);
        Assert.Equal(written.Select(JournalFixtures.Describe), contents.State.Trials.Select(JournalFixtures.Describe));
        Assert.Equal(25, contents.Definition.ObservationBudget);
        Assert.Equal(17, contents.Definition.Algorithm.Seed);
        var run = Assert.Single(contents.Runs);
        Assert.Equal(["/bin/true", "{x}"], run.Command);
        Assert.Equal(5, run.TrialTimeoutSeconds);
        var kinds = contents.Events.Select(e => e.GetType()).ToHashSet();
        Assert.Equal(
            new[] { typeof(TrialCreated), typeof(TrialReissued), typeof(TrialObserved), typeof(TrialFailed), typeof(TrialInterrupted), typeof(TrialDeleted), typeof(BudgetChanged) }.ToHashSet(),
            kinds);
    }

    [Fact]
    public void A_study_without_a_seed_gets_one_in_the_journal()
    {
        using var dir = new TempDirectory();
        using (Checkpoint.Create(dir.Path, JournalFixtures.Study().With(algorithm: new HpcTune.Study.AlgorithmSpec("random"))))
        {
        }

        Assert.NotNull(Checkpoint.Read(dir.Path).Definition.Algorithm.Seed);
    }

    [Fact]
    public void A_golden_journal_of_format_1_still_loads()
    {
        // Written by HpcTune's first journal version (JournalFixtures.WriteVaried); kept so old checkpoints keep loading.
        var contents = JournalReader.Read(Path.Combine(AppContext.BaseDirectory, "Data", "golden-journal-v1.htj"));
        Assert.Equal("journal-test", contents.Definition.Name);
        Assert.Equal((6, 2, 0, 25), (contents.State.CompletedCount, contents.State.FailedCount, contents.State.InterruptedIds.Count, contents.Definition.ObservationBudget));
        Assert.Contains(contents.Events, e => e is TrialReissued);
        Assert.Equal("\"; rm -rf ~", contents.Definition.Space.Parameters[2].CategoricalValues[2]);
    }

    [Fact]
    public void A_golden_journal_of_format_2_still_loads()
    {
        // Written by the first HpcTune of format version 2 (JournalFixtures.WriteVaried): sequence numbers and links.
        var contents = JournalReader.Read(Path.Combine(AppContext.BaseDirectory, "Data", "golden-journal-v2.htj"));
        Assert.Equal("journal-test", contents.Definition.Name);
        Assert.Equal((6, 2, 0, 25), (contents.State.CompletedCount, contents.State.FailedCount, contents.State.InterruptedIds.Count, contents.Definition.ObservationBudget));
        Assert.Equal((2, 27L), (contents.End.Version, contents.End.Records));
        Assert.Null(contents.TailWarning);
    }

    [Fact]
    public void Only_one_master_holds_a_checkpoint()
    {
        using var dir = new TempDirectory();
        using (var first = Checkpoint.Create(dir.Path, JournalFixtures.Study()))
        {
            var e = Assert.Throws<CheckpointException>(() => Checkpoint.Open(dir.Path));
            Assert.Contains("in use by another master", e.Message, StringComparison.Ordinal);
            Assert.Contains($"pid {Environment.ProcessId}", e.Message, StringComparison.Ordinal);
            Assert.NotNull(Checkpoint.Read(dir.Path)); // reading needs no lock
        }

        using var second = Checkpoint.Open(dir.Path); // released on dispose
    }

    [Fact]
    public void Creating_over_an_existing_study_is_refused_and_harms_nothing()
    {
        using var dir = new TempDirectory();
        JournalFixtures.WriteVaried(dir.Path);
        var before = File.ReadAllBytes(Checkpoint.JournalPath(dir.Path));
        var entries = Directory.GetFileSystemEntries(dir.Path);
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Create(dir.Path, JournalFixtures.Study()));
        Assert.Contains("already holds a study", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Checkpoint.JournalPath(dir.Path)));
        Assert.Equal(entries, Directory.GetFileSystemEntries(dir.Path)); // no owner note of the refused master left behind
    }

    [Fact]
    public void A_study_too_large_for_a_journal_record_is_refused_before_a_directory_is_made()
    {
        using var dir = new TempDirectory();
        var study = JournalFixtures.Study();
        var huge = new HpcTune.Study.StudyDefinition(new string('n', JournalFormat.MaxPayload), study.Space.Parameters, study.Metrics, study.ObservationBudget);
        var e = Assert.Throws<HpcTune.Study.DefinitionException>(() => Checkpoint.Create(dir.Combine("ckpt"), huge));
        Assert.Contains($"more than the {JournalFormat.MaxPayload} one record holds", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("ckpt")));
    }

    [Fact]
    public void A_checkpoint_path_that_is_a_file_is_refused_by_name()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("study.json");
        File.WriteAllText(file, "{}");
        Assert.Contains("is a file, not a directory", Assert.Throws<CheckpointException>(() => Checkpoint.Create(file, JournalFixtures.Study())).Message, StringComparison.Ordinal);
        Assert.Contains("is a file, not a directory", Assert.Throws<CheckpointException>(() => Checkpoint.Open(file)).Message, StringComparison.Ordinal);
        Assert.Contains("is a file, not a directory", Assert.Throws<CheckpointException>(() => Checkpoint.Read(file)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot create checkpoint directory", Assert.Throws<CheckpointException>(() => Checkpoint.Create(Path.Combine(file, "ckpt"), JournalFixtures.Study())).Message, StringComparison.Ordinal);
        Assert.Equal("{}", File.ReadAllText(file));
    }

    [Fact]
    public void Opening_a_directory_without_a_study_says_so()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Open(dir.Combine("nothing-here")));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<CheckpointException>(() => Checkpoint.Open(dir.Path));
        Assert.Contains("holds no journal", e.Message, StringComparison.Ordinal);
    }
}
