using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Tests.Journal;

public class ResumeTests
{
    [Fact]
    public void Open_suggestions_go_out_again_first_and_the_sampler_continues_where_it_stopped()
    {
        using var dir = new TempDirectory();
        using var reference = new TempDirectory();
        var uninterrupted = new List<HpcTune.Space.Assignment>();
        using (var checkpoint = Checkpoint.Create(reference.Path, JournalFixtures.Study()))
        {
            var tuner = checkpoint.CreateTuner();
            for (var i = 0; i < 8; i++)
            {
                var t = tuner.Suggest("w").Trial!;
                uninterrupted.Add(t.Assignment);
                tuner.Observe(t.Id, 1);
            }
        }

        long[] open;
        using (var checkpoint = Checkpoint.Create(dir.Path, JournalFixtures.Study()))
        {
            var tuner = checkpoint.CreateTuner();
            tuner.Observe(tuner.Suggest("a").Trial!.Id, 1);
            open = [tuner.Suggest("b").Trial!.Id, tuner.Suggest("c").Trial!.Id];
            tuner.Observe(tuner.Suggest("a").Trial!.Id, 1);
        } // the master "dies" with two suggestions open

        using (var checkpoint = Checkpoint.Open(dir.Path))
        {
            var tuner = checkpoint.CreateTuner();
            Assert.Equal(2, tuner.InterruptOpen("master restarted"));
            var reissued = new[] { tuner.Suggest("x").Trial!, tuner.Suggest("y").Trial! };
            Assert.Equal(open, reissued.Select(t => t.Id));
            Assert.All(reissued, t => Assert.Equal(2, t.Attempts));
            foreach (var t in reissued)
            {
                tuner.Observe(t.Id, 1);
            }

            var next = tuner.Suggest("x").Trial!;
            Assert.Equal(5, next.Id);
            Assert.Equal(uninterrupted[4], next.Assignment); // the Sobol stream is unbroken
        }

        var trials = Checkpoint.Read(dir.Path).State.Trials;
        Assert.Equal(uninterrupted.Take(5), trials.Select(t => t.Assignment));
    }

    /// <summary>The GP's trust region tells a search's own results from those of suggestions made before it restarted.</summary>
    [Fact]
    public void Each_trial_keeps_how_many_results_were_in_when_it_was_made_across_a_resume()
    {
        using var dir = new TempDirectory();
        using (var checkpoint = Checkpoint.Create(dir.Path, JournalFixtures.Study()))
        {
            var tuner = checkpoint.CreateTuner();
            tuner.Observe(tuner.Suggest("a").Trial!.Id, 1);
            var b = tuner.Suggest("b").Trial!;
            tuner.Suggest("c");
            tuner.Observe(b.Id, 2);
            tuner.Suggest("a");
        } // c and the second a are open

        Assert.Equal([0, 1, 1, 2], Checkpoint.Read(dir.Path).State.Trials.Select(t => t.CompletedBefore));
        using (var checkpoint = Checkpoint.Open(dir.Path))
        {
            var tuner = checkpoint.CreateTuner();
            tuner.InterruptOpen("master restarted");
            var reissued = tuner.Suggest("x").Trial!;
            tuner.Observe(reissued.Id, 3);
            Assert.Equal(1, reissued.CompletedBefore); // made from one result, whenever it goes out again
            Assert.Equal(2, tuner.Suggest("y").Trial!.CompletedBefore); // the other reissued one
            Assert.Equal(3, tuner.Suggest("z").Trial!.CompletedBefore); // a new trial, after the three results
        }
    }

    [Fact]
    public void The_budget_is_met_exactly_across_many_resumes()
    {
        using var dir = new TempDirectory();
        var definition = JournalFixtures.Study(budget: 30, bandwidth: 4);
        using (Checkpoint.Create(dir.Path, definition))
        {
        }

        var random = new Random(8);
        for (var session = 0; session < 40 && Checkpoint.Read(dir.Path).State.Status == StudyStatus.Running; session++)
        {
            using var checkpoint = Checkpoint.Open(dir.Path);
            var tuner = checkpoint.CreateTuner();
            tuner.InterruptOpen("master restarted");
            for (var step = random.Next(1, 6); step > 0; step--)
            {
                var outcome = tuner.Suggest($"w{random.Next(4)}");
                if (outcome.Status == SuggestStatus.Issued && random.Next(3) > 0)
                {
                    tuner.Observe(outcome.Trial!.Id, random.NextDouble());
                }
            } // whatever is still open is lost with this "master"
        }

        var state = Checkpoint.Read(dir.Path).State;
        Assert.Equal(StudyStatus.Completed, state.Status);
        Assert.Equal(30, state.Trials.Count(t => t.State == TrialState.Completed));
        Assert.Equal(30, state.Trials.Count); // interrupted trials were re-issued, never replaced by new ones
    }
}
