using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Tests.Model;

/// <summary>A conditional space: inactive parameters are absent from every assignment, whichever way it is made.</summary>
public class ConditionalSpaceTests
{
    private static readonly SearchSpace Space = ModelStudies.Conditional().Space;

    [Theory]
    [InlineData(0.1, 0.1, new[] { "depth", "opt", "lr", "momentum" })]              // depth 2, sgd
    [InlineData(0.9, 0.1, new[] { "depth", "opt", "lr", "units3", "momentum" })]    // depth 3, sgd
    [InlineData(0.9, 0.9, new[] { "depth", "opt", "lr", "units3", "beta3" })]       // depth 3, adam
    [InlineData(0.1, 0.9, new[] { "depth", "opt", "lr" })]                          // depth 2, adam
    public void Decoding_a_full_point_leaves_out_the_inactive_parameters(double depth, double opt, string[] names)
    {
        var assignment = Space.Decode([depth, opt, 0.5, 0.5, 0.5, 0.5]);
        Assert.Equal(names, assignment.Names);
        Assert.True(ModelStudies.HoldsExactlyTheActive(Space, assignment));
    }

    [Fact]
    public void An_assignment_without_its_inactive_parameters_encodes_and_decodes_back_to_itself()
    {
        var assignment = Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = "2", ["opt"] = "sgd", ["lr"] = 0.01, ["momentum"] = 0.9 });
        var unit = Space.Encode(assignment);
        Assert.Equal(0.5, unit[3]); // units3, inactive: the centre stands for it
        var decoded = Space.Decode(unit);
        Assert.Equal(assignment.Names, decoded.Names);
        Assert.Equal(["2", "sgd"], decoded.Values.Take(2).Select(v => v.Text));
        Assert.Equal(0.01, decoded.GetDouble("lr"), 1e-12); // a log layout is exact to rounding
        Assert.Equal(0.9, decoded.GetDouble("momentum"), 1e-12);
    }

    [Fact]
    public void Assignments_with_absent_parameters_compare_by_what_they_hold()
    {
        Assignment Make(string depth, double lr) => depth == "3"
            ? Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = depth, ["opt"] = "adam", ["lr"] = lr, ["units3"] = 32, ["beta3"] = 0.9 })
            : Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = depth, ["opt"] = "adam", ["lr"] = lr });
        Assert.Equal(Make("2", 0.1), Make("2", 0.1));
        Assert.Equal(Make("2", 0.1).GetHashCode(), Make("2", 0.1).GetHashCode());
        Assert.NotEqual(Make("2", 0.1), Make("2", 0.2));
        Assert.NotEqual(Make("2", 0.1), Make("3", 0.1));
        Assert.Equal(2, new HashSet<Assignment> { Make("2", 0.1), Make("2", 0.1), Make("3", 0.1) }.Count);
    }

    [Fact]
    public void An_inactive_parameter_given_a_value_is_refused_naming_the_condition()
    {
        var e = Assert.Throws<ArgumentException>(() => Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = "2", ["opt"] = "adam", ["lr"] = 0.1, ["units3"] = 32 }));
        Assert.Contains("parameter 'units3' is inactive (it needs depth in {3}, the assignment has depth = 2) and must be absent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_active_parameter_or_a_switch_left_out_is_refused()
    {
        Assert.Contains("no value for parameter 'units3'", Assert.Throws<ArgumentException>(() =>
            Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = "3", ["opt"] = "adam", ["lr"] = 0.1, ["beta3"] = 0.9 })).Message, StringComparison.Ordinal);
        Assert.Contains("no value for conditional 'opt'", Assert.Throws<ArgumentException>(() =>
            Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = "2", ["lr"] = 0.1 })).Message, StringComparison.Ordinal);
        Assert.Contains("'adam' is not one of", Assert.Throws<ArgumentException>(() =>
            Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = "adam", ["opt"] = "adam", ["lr"] = 0.1 })).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public async Task A_conditional_study_runs_to_its_budget_and_no_assignment_holds_an_inactive_parameter(string algorithm)
    {
        var study = ModelStudies.Conditional(algorithm, budget: 60);
        var tuner = new Tuner(study);
        var summary = await tuner.OptimizeAsync(Objective.FromFunction("loss", a =>
        {
            Assert.True(ModelStudies.HoldsExactlyTheActive(study.Space, a), a.ToString());
            return a.GetDouble("lr") + (a.TryGetValue("units3", out var units) ? units.Number / 1000 : 0);
        }), workers: 3, TestContext.Current.CancellationToken);

        Assert.Equal(StudyStatus.Completed, summary.Progress.Status);
        Assert.Equal(60, tuner.Trials.Count(t => t.State == TrialState.Completed));
        Assert.All(tuner.Trials, t => Assert.True(ModelStudies.HoldsExactlyTheActive(study.Space, t.Assignment), t.Assignment.ToString()));
        // Both branches of each switch were drawn.
        Assert.Equal(2, tuner.Trials.Select(t => t.Assignment.GetString("depth")).Distinct().Count());
        Assert.Equal(2, tuner.Trials.Select(t => t.Assignment.GetString("opt")).Distinct().Count());
        Assert.Equal(60, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
    }
}
