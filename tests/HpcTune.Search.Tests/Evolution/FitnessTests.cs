using HpcTune.Search.Evolution;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Search.Tests.Evolution;

public sealed class FitnessTests
{
    private static readonly Assignment Point = new SearchSpace([ParameterDefinition.Double("a", 0, 1)]).Decode([0.5]);

    private static Fitness? Of(StudyDefinition definition, params (string Metric, double Value)[] values) =>
        Fitness.Of(definition, EvolutionFixtures.TrialOf(1, Point, null, values: values.ToDictionary(v => v.Metric, v => v.Value)));

    private static StudyDefinition Constrained(MetricObjective objective) => EvolutionFixtures.EvolutionStudy(
        parameters: [ParameterDefinition.Double("a", 0, 1)], objective: objective,
        extraMetrics: [new MetricDefinition("mem", MetricObjective.Minimize, MetricStrategy.Constraint, 4), new MetricDefinition("acc", MetricObjective.Maximize, MetricStrategy.Constraint, 0.9)]);

    [Fact]
    public void The_objective_direction_decides_among_feasible_trials()
    {
        var minimize = Constrained(MetricObjective.Minimize);
        var maximize = Constrained(MetricObjective.Maximize);
        Assert.True(Of(minimize, ("loss", 1), ("mem", 4), ("acc", 0.9)) < Of(minimize, ("loss", 2), ("mem", 1), ("acc", 1))); // thresholds themselves are met
        Assert.True(Of(maximize, ("loss", 2), ("mem", 1), ("acc", 1)) < Of(maximize, ("loss", 1), ("mem", 1), ("acc", 1)));
    }

    [Fact]
    public void An_infeasible_trial_is_worse_than_any_feasible_one_and_less_violation_is_better()
    {
        var study = Constrained(MetricObjective.Minimize);
        var feasibleButPoor = Of(study, ("loss", 100), ("mem", 1), ("acc", 0.95))!.Value;
        var slightlyOver = Of(study, ("loss", -5), ("mem", 4.5), ("acc", 0.95))!.Value;
        var farOver = Of(study, ("loss", -9), ("mem", 3), ("acc", 0.2))!.Value;
        var missing = Of(study, ("loss", -10), ("mem", 1))!.Value; // acc not reported: cannot be shown to meet it
        Assert.True(feasibleButPoor.IsFeasible);
        Assert.Equal(0.5, slightlyOver.Violation, 12);
        Assert.Equal(0.7, farOver.Violation, 12);
        Assert.Equal(double.PositiveInfinity, missing.Violation);
        Assert.Equal([feasibleButPoor, slightlyOver, farOver, missing], new[] { missing, farOver, feasibleButPoor, slightlyOver }.Order());
    }

    [Fact]
    public void A_trial_without_a_finite_objective_has_no_fitness()
    {
        var study = EvolutionFixtures.EvolutionStudy();
        Assert.Null(Of(study, ("other", 1)));
        Assert.Null(Of(study, ("loss", double.NaN)));
        Assert.Null(Of(study, ("loss", double.PositiveInfinity)));
        Assert.NotNull(Of(study, ("loss", 0)));
    }
}
