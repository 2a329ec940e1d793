using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Tests.Tuning;

/// <summary><c>OptimizeAsync</c> with a plain function for the objective metric (issue 24, item 6).</summary>
public class PlainFunctionObjectiveTests
{
    private static Tuner NewTuner() => new(new StudyDefinition("plain", [ParameterDefinition.Double("x", -1, 1)],
        [new MetricDefinition("loss", MetricObjective.Minimize)], 12, 3, algorithm: new AlgorithmSpec("sobol", 2)));

    [Fact]
    public async Task A_function_of_the_assignment_is_the_objective_metric()
    {
        var tuner = NewTuner();
        var summary = await tuner.OptimizeAsync(a => a.GetDouble("x") * a.GetDouble("x"), workers: 3, TestContext.Current.CancellationToken);
        Assert.Equal(12, summary.Progress.Completed);
        Assert.All(tuner.Trials, t => Assert.Equal(t.Assignment.GetDouble("x") * t.Assignment.GetDouble("x"), t.Values!["loss"]));
        Assert.Equal(tuner.Trials.Min(t => t.Values!["loss"]), summary.Best!.Values!["loss"]); // minimized, as the study says
    }

    [Fact]
    public async Task An_asynchronous_function_gets_the_runs_token_and_its_exceptions_fail_trials()
    {
        var tuner = NewTuner();
        var summary = await tuner.OptimizeAsync(async (a, ct) =>
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            return a.GetDouble("x") > 0.5 ? throw new InvalidOperationException("diverged") : a.GetDouble("x");
        }, workers: 2, TestContext.Current.CancellationToken);
        Assert.Equal(12, summary.Progress.Completed);
        Assert.All(tuner.Trials.Where(t => t.State == HpcTune.Trials.TrialState.Failed), t => Assert.Contains("diverged", t.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_metrics_direction_has_no_default_in_csharp()
    {
        var objective = typeof(MetricDefinition).GetConstructors().Single().GetParameters().Single(p => p.Name == "Objective");
        Assert.False(objective.HasDefaultValue); // new MetricDefinition("loss") would maximize a loss
    }
}
