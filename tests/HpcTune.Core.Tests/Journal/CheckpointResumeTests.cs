using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Tests.Journal;

/// <summary>Resuming a checkpoint is one Core call (issue 24, item 6): no command line needed.</summary>
public class CheckpointResumeTests
{
    [Fact]
    public async Task Resume_raises_the_budget_reissues_open_trials_first_and_records_the_start()
    {
        using var dir = new TempDirectory();
        long open;
        using (var checkpoint = Checkpoint.Create(dir.Path, JournalFixtures.Study(budget: 4)))
        {
            var tuner = checkpoint.CreateTuner();
            tuner.Observe(tuner.Suggest("a").Trial!.Id, 1);
            open = tuner.Suggest("b").Trial!.Id; // its master dies with it
        }

        using (var checkpoint = Checkpoint.Open(dir.Path))
        {
            var tuner = checkpoint.Resume(observationBudget: 6);
            Assert.Equal(6, tuner.Definition.ObservationBudget);
            Assert.Equal([open], tuner.OpenSuggestions().Select(t => t.Id));
            Assert.Equal(TrialState.Interrupted, tuner.GetTrial(open).State);
            Assert.Equal(open, tuner.Suggest("c").Trial!.Id); // handed out again before any new trial
            tuner.Observe(open, 1);
            await tuner.OptimizeAsync(a => a.GetDouble("x"), workers: 2, TestContext.Current.CancellationToken);
        }

        var read = Checkpoint.Read(dir.Path);
        Assert.Equal((6, 6), (read.State.CompletedCount, read.State.Definition.ObservationBudget));
        Assert.Equal("in-process", Assert.Single(read.Runs).Objective);
    }

    [Fact]
    public void Resume_refuses_to_lower_the_budget_and_changes_nothing()
    {
        using var dir = new TempDirectory();
        using (Checkpoint.Create(dir.Path, JournalFixtures.Study(budget: 4)))
        {
        }

        using (var checkpoint = Checkpoint.Open(dir.Path))
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => checkpoint.Resume(observationBudget: 3));
            Assert.Contains("recorded 4, given 3", e.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Checkpoint.Read(dir.Path).Runs);
    }
}
