using HpcTune.Bench.Population;
using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Trials;

namespace HpcTune.Bench.Tests;

/// <summary>The PBT toy problem's objective: a segment continues from its parent's θ exactly where an unbroken run would be.</summary>
public sealed class ToyQuadraticTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hpctune-toy-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Two_segments_from_a_checkpoint_equal_one_unbroken_run()
    {
        var toy = new ToyQuadratic(StepSize: 0.01, StepsWithoutLineage: 8);
        var h = new Assignment(["h0", "h1"], [0.7, 0.3]);
        var unbroken = await toy.EvaluateAsync(new TrialContext(1, h, "w", 1), TestContext.Current.CancellationToken);

        var first = Path.Combine(_root, "trial-1");
        var second = Path.Combine(_root, "trial-2");
        CheckpointDirectories.Prepare(new TrialCheckpointPaths(first, null));
        await toy.EvaluateAsync(new TrialContext(1, h, "w", 1) { Lineage = new TrialLineage(0, 0, null, "trial-1", 0, 4), CheckpointDirectory = first }, TestContext.Current.CancellationToken);
        CheckpointDirectories.Prepare(new TrialCheckpointPaths(second, first));
        var resumed = await toy.EvaluateAsync(
            new TrialContext(2, h, "w", 1) { Lineage = new TrialLineage(0, 1, 1, "trial-2", 4, 8), CheckpointDirectory = second, ParentCheckpointDirectory = first },
            TestContext.Current.CancellationToken);

        var expected = ToyQuadratic.Q(0.9 * Math.Pow(1 - (0.02 * 0.7), 8), 0.9 * Math.Pow(1 - (0.02 * 0.3), 8));
        Assert.Equal(expected, unbroken.Values![ToyQuadratic.Metric], 12);
        Assert.Equal(expected, resumed.Values![ToyQuadratic.Metric], 12);
    }

    [Fact]
    public void The_studies_take_the_same_gradient_steps()
    {
        HpcTune.Search.SearchAlgorithms.Register();
        var pbt = PbtToyBenchmark.Define("pbt", population: 4, generations: 50, steps: 4, quantile: 0.25, resample: 0.25, factors: [0.8, 1.2], seed: 1);
        var random = PbtToyBenchmark.Define("random", population: 4, generations: 50, steps: 4, quantile: 0.25, resample: 0.25, factors: [0.8, 1.2], seed: 1);
        Assert.Equal(4 * 50 * 4, pbt.ObservationBudget * 4); // 200 segments of 4 steps
        Assert.Equal(4 * 50 * 4, random.ObservationBudget * 50 * 4); // 4 runs of 200 steps
    }
}
