using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Tests.Tuning;

/// <summary>New trials asked for one after another come from one series of the sampler; anything else starts a new one.</summary>
public class TunerSeriesTests
{
    private static StudyDefinition Study() =>
        new("series", [ParameterDefinition.Double("x", 0, 1)], [new MetricDefinition("loss", MetricObjective.Minimize)], 50, 8, algorithm: new AlgorithmSpec("sobol", 1));

    /// <summary>Sobol points whose series start at the trial count and number each series.</summary>
    private sealed class CountingSampler : ISampler
    {
        private readonly SobolSampler _sobol = new();

        public List<int> SeriesStartedAt { get; } = [];

        public string Name => "counting";

        public Assignment Suggest(StudyView view) => _sobol.Suggest(view);

        public IEnumerable<Assignment> SuggestSeries(StudyView view)
        {
            SeriesStartedAt.Add(view.TrialsCreated);
            return Items(view);

            IEnumerable<Assignment> Items(StudyView view)
            {
                var expected = view.TrialsCreated;
                while (true)
                {
                    Assert.Equal(expected++, view.TrialsCreated); // the tuner kept the contract: only our own trials came in between
                    yield return _sobol.Suggest(view);
                }
            }
        }
    }

    private sealed class FailingOnceSink : IStudyEventSink
    {
        public bool FailNext { get; set; }

        public void Append(StudyEvent studyEvent)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }
        }
    }

    [Fact]
    public void Suggestions_in_a_row_share_a_series_and_a_result_starts_a_new_one()
    {
        var sampler = new CountingSampler();
        var tuner = new Tuner(Study(), new TunerOptions { Sampler = sampler });
        var first = Enumerable.Range(0, 4).Select(i => tuner.Suggest($"w{i}").Trial!).ToList();
        tuner.Observe(first[0].Id, 1.0);
        var more = Enumerable.Range(4, 3).Select(i => tuner.Suggest($"w{i}").Trial!).ToList();
        Assert.Equal([0, 4], sampler.SeriesStartedAt);
        Assert.Equal(7, first.Concat(more).Select(t => t.Assignment).Distinct().Count());
    }

    [Fact]
    public void A_failure_or_a_deletion_starts_a_new_series_and_an_interruption_does_not()
    {
        var sampler = new CountingSampler();
        var tuner = new Tuner(Study(), new TunerOptions { Sampler = sampler });
        var failed = tuner.Suggest("a").Trial!;
        tuner.Fail(failed.Id, "crashed");
        var deleted = tuner.Suggest("b").Trial!;
        tuner.Delete(deleted.Id);
        var interrupted = tuner.Suggest("c").Trial!;
        tuner.Release(interrupted.Id);
        Assert.Equal(interrupted.Id, tuner.Suggest("d").Trial!.Id); // the interrupted trial goes out again first
        tuner.Suggest("e");
        Assert.Equal([0, 1, 2], sampler.SeriesStartedAt);
    }

    [Fact]
    public void A_trial_whose_journal_write_failed_is_not_taken_for_the_series_own()
    {
        var sampler = new CountingSampler();
        var sink = new FailingOnceSink();
        var tuner = new Tuner(Study(), new TunerOptions { Sampler = sampler, Sink = sink });
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("a").Status);
        sink.FailNext = true;
        Assert.Throws<IOException>(() => tuner.Suggest("b"));
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("b").Status); // the series expected trial 2 to exist: a new one
        Assert.Equal([0, 1], sampler.SeriesStartedAt);
    }

    [Fact]
    public void A_prepared_assignment_ends_the_series()
    {
        var sampler = new CountingSampler();
        var tuner = new Tuner(Study(), new TunerOptions { Sampler = sampler });
        tuner.Suggest("a");
        var prepared = tuner.Definition.Space.Decode([0.123]);
        Assert.Same(prepared, tuner.Suggest("b", _ => prepared).Trial!.Assignment);
        tuner.Suggest("c");
        Assert.Equal([0, 2], sampler.SeriesStartedAt);
    }
}
