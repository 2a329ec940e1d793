using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Search.Tests.EarlyStopping;

/// <summary>Early stopping in a real in-process run: several workers, an objective that reports every step.</summary>
public sealed class EarlyStoppingRunTests
{
    private const int Steps = 9;

    private static double Loss(Assignment assignment, long step)
    {
        var x = assignment.GetDouble("x");
        return ((x - 0.3) * (x - 0.3)) + (0.5 / step); // a curve per trial; the ranking of final values is already the ranking at step 1
    }

    [Theory]
    [InlineData("""{"name": "asha", "min_steps": 1, "reduction_factor": 3, "max_steps": 9}""", "sobol")]
    [InlineData("""{"name": "median", "min_trials": 3}""", "sobol")]
    [InlineData("""{"name": "asha"}""", "random")]
    public async Task Losing_trials_are_pruned_with_their_last_report_and_the_budget_is_met_exactly(string rule, string algorithm)
    {
        SearchAlgorithms.Register();
        var study = StudyDefinitionJson.Parse($$$"""
            {"name": "run", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}],
             "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": 40, "parallel_bandwidth": 4,
             "algorithm": {"name": "{{{algorithm}}}", "seed": 5}, "early_stopping": {{{rule}}}}
            """);
        var tuner = new Tuner(study);
        var stopsSeen = 0;
        var objective = Objective.FromAsync(async (trial, ct) =>
        {
            for (var step = 1L; step <= Steps; step++)
            {
                var answer = await trial.ReportAsync(step, new Dictionary<string, double> { ["loss"] = Loss(trial.Assignment, step) }, ct);
                Assert.True(answer.Recorded);
                if (answer.Stop)
                {
                    Interlocked.Increment(ref stopsSeen);
                    return ObjectiveResult.Success("loss", -1); // told to stop: not recorded
                }
            }

            return ObjectiveResult.Success("loss", Loss(trial.Assignment, Steps));
        });

        var summary = await tuner.OptimizeAsync(objective, workers: 4, TestContext.Current.CancellationToken);

        var trials = tuner.Trials;
        Assert.Equal(40, trials.Count);
        var pruned = trials.Where(t => t.State == TrialState.Pruned).ToList();
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(40, pruned.Count + completed.Count);
        Assert.Equal(40, summary.Progress.Completed + summary.Progress.Pruned);
        Assert.Equal(pruned.Count, stopsSeen);
        Assert.InRange(pruned.Count, 5, 39);
        Assert.All(completed, t => Assert.Equal(Steps, t.Reports.Count));
        Assert.All(completed, t => Assert.Equal(Loss(t.Assignment, Steps), t.Values!["loss"]));
        foreach (var trial in pruned)
        {
            var last = trial.Reports[^1];
            Assert.InRange(last.Step, 1, Steps); // without max_steps, asha may stop a trial at its last step (9 is a rung)
            Assert.Equal(last.Values["loss"], trial.Values!["loss"]); // its last reported value, not the -1 it returned
            Assert.StartsWith(study.EarlyStopping!.Name + ":", trial.Reason, StringComparison.Ordinal);
            if (study.EarlyStopping.Options.TryGetValue("max_steps", out var max))
            {
                Assert.True(last.Step < max.GetInt64()); // rungs lie below max_steps
            }

            // It lost: another trial had reported a better value at that step.
            Assert.Contains(trials, other => other.Id != trial.Id && other.Reports.Any(r => r.Step == last.Step && r.Values["loss"] < last.Values["loss"]));
        }

        // The best trials were never pruned: the best final value is the best x's.
        var bestX = trials.MinBy(t => Math.Abs(t.Assignment.GetDouble("x") - 0.3))!;
        Assert.Equal(TrialState.Completed, bestX.State);
        Assert.Equal(bestX.Id, summary.Best!.Id);
    }
}
