using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>Studies that broke the GP sampler (issue 23, item 9): a categorical of many values, a failing region.</summary>
public class GpFailureTests
{
    static GpFailureTests() => GpSampler.Register();

    private static StudyDefinition WideCategorical(int values, int budget) => new(
        "wide",
        [ParameterDefinition.Categorical("c", Enumerable.Range(0, values).Select(i => $"v{i}"))],
        [new MetricDefinition("loss", MetricObjective.Minimize)],
        budget, 1, algorithm: GpAlgorithmProvider.Spec(3, 5));

    private static double Loss(Trial trial) => int.Parse(trial.Assignment.GetString("c").AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 97;

    /// <summary>
    /// 50,000 values: MathNet's bounded BFGS keeps a dense (D + 2)² inverse Hessian, whose element count overflows an
    /// int past 46,340 features, hence the IndexOutOfRangeException of the report; below that it costs D² memory and time.
    /// </summary>
    [Fact]
    public void A_categorical_of_50000_values_gets_model_suggestions_whose_features_do_not_grow_with_its_values()
    {
        var sampler = new GpSampler();
        var tuner = new Tuner(WideCategorical(50_000, 12), new TunerOptions { Sampler = sampler });
        var seen = new HashSet<string>();
        while (tuner.Suggest("w") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            Assert.True(seen.Add(trial.Assignment.GetString("c")), $"trial {trial.Id} repeats {trial.Assignment}");
            tuner.Observe(trial.Id, Loss(trial));
        }

        Assert.Equal(12, tuner.Progress.Completed);
        Assert.NotNull(sampler.Model); // the suggestions after the design came from a model
        Assert.InRange(sampler.Model!.Dimension, 1, 13); // a column per category seen (at most 11) and one for all others
    }

    [Fact]
    public void A_resumed_wide_study_suggests_what_the_running_one_did()
    {
        var definition = WideCategorical(50_000, 10).WithResolvedSeed();
        var tuner = new Tuner(definition);
        for (var i = 0; i < 8; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            tuner.Observe(trial.Id, Loss(trial));
        }

        var replayed = new StudyState(tuner.Definition);
        foreach (var t in tuner.Trials)
        {
            replayed.Apply(new TrialCreated(t.Id, t.Assignment, "w", t.CreatedAt));
            replayed.Apply(new TrialObserved(t.Id, t.Values!, t.Metadata, t.FinishedAt!.Value));
        }

        var resumed = Tuner.Restore(replayed);
        Assert.Equal(tuner.Suggest("w").Trial!.Assignment, resumed.Suggest("w").Trial!.Assignment);
    }

    /// <summary>
    /// The report's study: the objective exits non-zero where x &gt; 0.8 and y &gt; 0.8, next to its optimum at (0.7, 0.7).
    /// Before, the first failure came back in every later suggestion (the same view gives the same point) until
    /// max_failures broke the study.
    /// </summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Failed_points_and_their_neighbourhood_are_not_suggested_again(long seed)
    {
        var definition = new StudyDefinition(
            "corner",
            [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)],
            40, 1, maxFailures: 10, algorithm: GpAlgorithmProvider.Spec(seed, 5));
        var tuner = new Tuner(definition);
        var failed = new List<(double X, double Y)>();
        while (tuner.Suggest("w") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            var (x, y) = (trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            foreach (var (fx, fy) in failed)
            {
                Assert.True(Math.Sqrt(((x - fx) * (x - fx)) + ((y - fy) * (y - fy))) >= 0.01, $"trial {trial.Id} at ({x}, {y}) is next to the failure at ({fx}, {fy})");
            }

            if (x > 0.8 && y > 0.8)
            {
                failed.Add((x, y));
                tuner.Fail(trial.Id, "exit code 1");
            }
            else
            {
                tuner.Observe(trial.Id, ((x - 0.7) * (x - 0.7)) + ((y - 0.7) * (y - 0.7)));
            }
        }

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.InRange(failed.Count, 1, 9); // the corner was tried, and left
    }
}
