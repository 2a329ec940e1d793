using System.Collections.Concurrent;
using System.Globalization;
using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Trials;
using HpcTune.Tuning;
using static HpcTune.Search.Tests.Population.PopulationFixtures;

namespace HpcTune.Search.Tests.Population;

/// <summary>A population trained in process by worker threads, its state in files in each trial's checkpoint directory.</summary>
public sealed class PbtRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hpctune-pbt-").FullName;
    private readonly ConcurrentQueue<string> _problems = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Every_generation_of_every_member_completes_once_from_its_parents_checkpoint_then_the_study_is_finished()
    {
        const int population = 4, generations = 3, steps = 2;
        var definition = PbtStudy(population: population, steps: steps, generations: generations, quantile: 0.25);
        var tuner = new Tuner(definition, new TunerOptions { CheckpointRoot = _root });

        var summary = await tuner.OptimizeAsync(Objective.FromAsync(TrainAsync), workers: 3, TestContext.Current.CancellationToken);

        Assert.Empty(_problems);
        Assert.Equal(StudyStatus.Completed, summary.Progress.Status);
        var trials = tuner.Trials;
        Assert.Equal(population * generations, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(
            [.. Enumerable.Range(0, generations).SelectMany(g => Enumerable.Range(0, population).Select(m => (g, m)))],
            trials.Select(t => (t.Lineage!.Generation!.Value, t.Lineage.Member!.Value)).Order());

        foreach (var trial in trials)
        {
            var lineage = trial.Lineage!;
            Assert.Equal((long)lineage.Generation!.Value * steps, lineage.StartStep);
            Assert.Equal(lineage.StartStep + steps, lineage.EndStep);
            Assert.Equal([.. Enumerable.Range(1, steps).Select(s => lineage.StartStep!.Value + s)], trial.Reports.Select(r => r.Step));
            if (lineage.Generation == 0)
            {
                Assert.Null(lineage.ParentTrialId);
            }
            else
            {
                Assert.Equal(lineage.Generation - 1, tuner.GetTrial(lineage.ParentTrialId!.Value).Lineage!.Generation);
            }

            // Each checkpoint holds its own segment's end, written by its trial, not overwritten by a later one.
            var state = Read(Path.Combine(_root, lineage.CheckpointDirectory!));
            Assert.Equal((lineage.EndStep!.Value, trial.Id), (state.Step, state.Trials[^1]));
        }

        var exploited = trials.Count(t => t.Lineage!.Generation > 0 && tuner.GetTrial(t.Lineage.ParentTrialId!.Value).Lineage!.Member != t.Lineage.Member);
        Assert.Equal(generations - 1, exploited); // one bottom member per generation copies the top one

        Assert.Equal(SuggestStatus.Finished, tuner.Suggest("late-worker").Status);
    }

    [Fact]
    public async Task A_run_stopped_mid_generation_resumes_from_the_journal_and_completes_every_segment_once()
    {
        const int population = 4, generations = 3;
        var definition = PbtStudy(population: population, steps: 2, generations: generations);
        var directory = Path.Combine(_root, "study");
        using var stop = new CancellationTokenSource();
        using (var first = Checkpoint.Create(directory, definition))
        {
            var run = first.CreateTuner().OptimizeAsync(Objective.FromAsync(async (context, token) =>
            {
                if (context.TrialId == population + 2) // the second segment of generation 1: stop the run while it trains
                {
                    await File.WriteAllTextAsync(Path.Combine(context.CheckpointDirectory!, "partial.txt"), "half a segment", token);
                    await stop.CancelAsync();
                    await Task.Delay(Timeout.Infinite, token);
                }

                return await TrainAsync(context, token);
            }), workers: 2, stop.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }

        using var checkpoint = Checkpoint.Open(directory);
        var interrupted = checkpoint.State.Trials.Where(t => t.State is TrialState.Open or TrialState.Interrupted).Select(t => t.Id).ToArray();
        Assert.Contains(population + 2L, interrupted);
        var tuner = checkpoint.Resume();
        await tuner.OptimizeAsync(Objective.FromAsync(async (context, token) =>
        {
            if (File.Exists(Path.Combine(context.CheckpointDirectory!, "partial.txt")))
            {
                _problems.Enqueue($"trial {context.TrialId} restarted on its own half-written checkpoint");
            }

            return await TrainAsync(context, token);
        }), workers: 2, TestContext.Current.CancellationToken);

        Assert.Empty(_problems);
        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.Equal(population * generations, tuner.Trials.Count);
        Assert.All(tuner.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(population * generations, tuner.Trials.Select(t => (t.Lineage!.Generation, t.Lineage.Member)).Distinct().Count());
        // Handed out again, not planned anew (the trial count above says nothing new was planned). At least twice: the
        // other worker may take an interrupted segment once more in the moment between the stop and the run's end.
        Assert.All(interrupted, id => Assert.True(tuner.GetTrial(id).Attempts >= 2, $"trial {id}: {tuner.GetTrial(id).Attempts} attempts"));
        Assert.Equal(SuggestStatus.Finished, tuner.Suggest("late-worker").Status);
    }

    /// <summary>
    /// One segment of training: its state is the checkpoint's (copied from the parent's by the worker), or a new one in
    /// generation 0; it reports every step and leaves its state, with its own trial id appended, in its directory.
    /// </summary>
    private async ValueTask<ObjectiveResult> TrainAsync(TrialContext context, CancellationToken cancellationToken)
    {
        var lineage = context.Lineage!;
        var directory = context.CheckpointDirectory!;
        var state = context.ParentCheckpointDirectory is null ? (Step: 0L, Trials: Array.Empty<long>()) : Read(directory);
        if (context.ParentCheckpointDirectory is { } parent && (Read(parent) is var copied) && (copied.Step != state.Step || !copied.Trials.SequenceEqual(state.Trials)))
        {
            _problems.Enqueue($"trial {context.TrialId}: its directory does not hold its parent's checkpoint");
        }

        if (state.Step != lineage.StartStep)
        {
            _problems.Enqueue($"trial {context.TrialId}: the checkpoint is at step {state.Step}, the segment starts at {lineage.StartStep}");
        }

        var q = 0.0;
        for (var step = lineage.StartStep!.Value + 1; step <= lineage.EndStep; step++)
        {
            q = context.Assignment["h0"].Number + context.Assignment["h1"].Number + step;
            await context.ReportAsync(step, new Dictionary<string, double> { [Metric] = q }, cancellationToken);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "state.txt"),
            string.Join(' ', [lineage.EndStep!.Value, .. state.Trials, context.TrialId]), cancellationToken);
        return ObjectiveResult.Success(Metric, q);
    }

    private static (long Step, long[] Trials) Read(string directory)
    {
        var numbers = File.ReadAllText(Path.Combine(directory, "state.txt")).Split(' ').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        return (numbers[0], numbers[1..]);
    }
}
