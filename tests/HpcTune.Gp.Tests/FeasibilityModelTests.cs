using HpcTune.Gp.LinearAlgebra;
using HpcTune.Gp.Sampling;

namespace HpcTune.Gp.Tests;

public class FeasibilityModelTests
{
    /// <summary>Eleven points on [0, 1] (1-D): all succeeded but the one at <paramref name="failedAt"/>.</summary>
    private static FeasibilityModel FailureModel(double failedAt)
    {
        var builder = new FeasibilityModelBuilder(ManagedLinearAlgebra.Instance, 256);
        var features = Enumerable.Range(0, 11).Select(i => new[] { i / 10.0 }).Append([failedAt]).ToList();
        var labels = Enumerable.Repeat(-1.0, 11).Append(1.0).ToList();
        builder.Add(FeasibilityModelBuilder.FailureComponent, features, labels, [.. Enumerable.Range(0, 12).Select(i => (long)i)], 0, 1, TestContext.Current.CancellationToken, exact: true);
        return builder.Build()!;
    }

    [Fact]
    public void A_lone_failure_makes_its_neighbourhood_unlikely_to_be_feasible_and_leaves_the_rest_likely()
    {
        var model = FailureModel(0.93);
        Assert.Equal(1, model.Count);
        Assert.True(model.LogProbability([0.93]) < Math.Log(0.05), $"log P(feasible) at the failure: {model.LogProbability([0.93])}");
        Assert.True(model.LogProbability([0.2]) > Math.Log(0.8), $"log P(feasible) among successes: {model.LogProbability([0.2])}");
    }

    [Fact]
    public void The_batched_log_probabilities_and_the_gradient_agree_with_single_points_and_finite_differences()
    {
        var model = FailureModel(0.93);
        double[] points = [0.05, 0.41, 0.87, 0.95];
        var batched = new double[points.Length];
        model.LogProbabilities(points, points.Length, batched);
        for (var j = 0; j < points.Length; j++)
        {
            var gradient = new double[1];
            var value = model.LogProbability([points[j]], gradient);
            Assert.Equal(value, batched[j], 1e-9);
            const double h = 1e-6;
            var numeric = (model.LogProbability([points[j] + h]) - model.LogProbability([points[j] - h])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[0]) <= 1e-4 * Math.Max(1, Math.Abs(numeric)), $"at {points[j]}: analytic {gradient[0]}, numeric {numeric}");
        }
    }

    [Fact]
    public void A_constraint_far_beyond_its_threshold_gives_a_log_probability_where_the_probability_underflows()
    {
        var builder = new FeasibilityModelBuilder(ManagedLinearAlgebra.Instance, 256);
        var features = Enumerable.Range(0, 8).Select(i => new[] { i / 7.0 }).ToList();
        var values = features.Select(f => 100 * f[0]).ToList(); // feasible below 1: only the first point
        builder.Add("c", features, values, [.. Enumerable.Range(0, 8).Select(i => (long)i)], 1, 1, TestContext.Current.CancellationToken);
        var model = builder.Build()!;
        var far = model.LogProbability([1.0]);
        var near = model.LogProbability([0.0]);
        Assert.True(double.IsFinite(far) && far < -50, $"log P at the far end: {far}");
        Assert.True(near > far + 40);
        Assert.Null(builder.Build()); // the builder starts over after each model
    }
}
