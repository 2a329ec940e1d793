using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Tests.Scheduling;

/// <summary>A planning sampler's trials carry its lineage; no plan means wait, an exhausted one means finished.</summary>
public class PlanningSamplerTests
{
    private static Tuner NewTuner(string root) => new(
        new StudyDefinition("p", [ParameterDefinition.Double("x", 0, 1)], [new MetricDefinition("loss", MetricObjective.Minimize)], 10, 4, null, new AlgorithmSpec("random", 1)),
        new TunerOptions { Sampler = new TwoGenerationPlanner(), CheckpointRoot = root });

    [Fact]
    public void Trials_carry_the_plans_lineage_a_generation_waits_and_the_end_is_finished()
    {
        var tuner = NewTuner("/tmp/ckpt");
        var a = tuner.Suggest("a");
        var b = tuner.Suggest("b");
        Assert.Equal(new TrialLineage(0, 0, null, "checkpoints/trial-1", 0, 5), a.Trial!.Lineage);
        Assert.Equal(1, b.Trial!.Lineage!.Member);
        var waiting = tuner.Suggest("c");
        Assert.Equal(SuggestStatus.Wait, waiting.Status);
        Assert.Contains("test-planner", waiting.Reason, StringComparison.Ordinal);

        tuner.Observe(a.Trial.Id, 0.5);
        Assert.Equal(SuggestStatus.Wait, tuner.Suggest("c").Status); // member 1 is still running
        tuner.Observe(b.Trial.Id, 0.4);
        var next = tuner.Suggest("c").Trial!;
        Assert.Equal(new TrialLineage(0, 1, 1, "checkpoints/trial-3", 5, 10), next.Lineage);
        Assert.Equal(new TrialCheckpointPaths("/tmp/ckpt/checkpoints/trial-3", "/tmp/ckpt/checkpoints/trial-1"), tuner.CheckpointPathsOf(next));
        Assert.Null(tuner.CheckpointPathsOf(next with { Lineage = null }));
        var last = tuner.Suggest("d").Trial!;
        Assert.Equal(SuggestStatus.Wait, tuner.Suggest("e").Status); // planned out, but two are open
        tuner.Observe(next.Id, 0.3);
        tuner.Observe(last.Id, 0.2);
        var done = tuner.Suggest("e");
        Assert.Equal(SuggestStatus.Finished, done.Status);
        Assert.Contains("last trial", done.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_trial_goes_out_again_with_its_lineage_before_any_plan()
    {
        var tuner = NewTuner("/tmp/ckpt");
        var a = tuner.Suggest("a").Trial!;
        tuner.Release(a.Id, "the worker left");
        var again = tuner.Suggest("b").Trial!;
        Assert.Equal(a.Id, again.Id);
        Assert.Equal(a.Lineage, again.Lineage);
    }

    [Fact]
    public async Task In_process_workers_get_prepared_checkpoint_directories_holding_a_copy_of_the_parents()
    {
        var root = Directory.CreateTempSubdirectory("hpctune-plan-").FullName;
        try
        {
            var tuner = NewTuner(root);
            var objective = HpcTune.Objectives.Objective.FromAsync(async (context, token) =>
            {
                Assert.True(Directory.Exists(context.CheckpointDirectory));
                var step = 0;
                if (context.ParentCheckpointDirectory is { } parent)
                {
                    // The copy in its own directory and the parent's agree.
                    step = int.Parse(await File.ReadAllTextAsync(Path.Combine(context.CheckpointDirectory!, "step"), token), System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal(await File.ReadAllTextAsync(Path.Combine(parent, "step"), token), step.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                Assert.Equal(context.Lineage!.StartStep, step);
                await File.WriteAllTextAsync(Path.Combine(context.CheckpointDirectory!, "step"), context.Lineage.EndStep!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), token);
                return HpcTune.Objectives.ObjectiveResult.Success(new Dictionary<string, double> { ["loss"] = 1.0 / (1 + context.Lineage.EndStep.Value) });
            });

            await tuner.OptimizeAsync(objective, workers: 2, TestContext.Current.CancellationToken);

            Assert.Equal(4, tuner.Trials.Count(t => t.State == TrialState.Completed));
            Assert.Equal("10", await File.ReadAllTextAsync(Path.Combine(root, "checkpoints", "trial-4", "step"), TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
