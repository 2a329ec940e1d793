using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Tests.Model;

/// <summary>The second edition's study definition: several objectives, conditionals and conditions, with JSON paths in every error.</summary>
public class StudyModelDefinitionTests
{
    private static string WithMetrics(string metrics) =>
        $$$"""{"name": "m", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}], "metrics": {{{metrics}}}, "observation_budget": 5}""";

    [Fact]
    public void Two_to_four_optimized_metrics_make_the_study_multi_objective_in_their_order()
    {
        var study = StudyDefinitionJson.Parse(WithMetrics("""
            [{"name": "acc", "objective": "maximize"}, {"name": "mem", "objective": "minimize", "strategy": "constraint", "threshold": 16},
             {"name": "lat", "objective": "minimize"}, {"name": "note", "strategy": "store"}]
            """));
        Assert.Equal(["acc", "lat"], study.Objectives.Select(m => m.Name));
        Assert.Equal("acc", study.Objective.Name);
        Assert.True(study.IsMultiObjective);
        Assert.True(study.HasConstraints);
        Assert.False(study.HasConditions);
    }

    [Fact]
    public void A_first_edition_study_has_one_objective_no_constraints_and_no_conditions()
    {
        var study = StudyDefinitionJson.Parse(WithMetrics("""[{"name": "loss", "objective": "minimize"}, {"name": "aux", "strategy": "store"}]"""));
        Assert.Equal(["loss"], study.Objectives.Select(m => m.Name));
        Assert.False(study.IsMultiObjective || study.HasConstraints || study.HasConditions);
        Assert.DoesNotContain("conditional", StudyDefinitionJson.Write(study), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}, {"name": "e"}]""", "found 5")]
    [InlineData("""[{"name": "a", "strategy": "store"}]""", "found 0")]
    public void Five_or_no_optimized_metrics_are_refused(string metrics, string expected)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(WithMetrics(metrics)));
        Assert.Equal("metrics", e.Path);
        Assert.Contains("one to 4 metrics must be optimized", e.Problem, StringComparison.Ordinal);
        Assert.Contains(expected, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditionals_and_conditions_are_read_and_written_back_the_same()
    {
        var study = ModelStudies.Conditional();
        Assert.True(study.HasConditions);
        Assert.Equal(["depth", "opt"], study.Space.Conditionals.Select(c => c.Name));
        Assert.Equal(["depth", "opt", "lr", "units3", "momentum", "beta3"], study.Space.Names);
        Assert.Equal(6, study.Space.Dimension);
        Assert.Equal(["3"], study.Space.Parameters[1].Conditions["depth"]);
        Assert.Equal(study, StudyDefinitionJson.Parse(StudyDefinitionJson.Write(study)));
    }

    [Fact]
    public void A_condition_may_name_one_value_as_a_string()
    {
        var json = ModelStudies.ConditionalJson.Replace("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": {\"depth\": \"3\"}", StringComparison.Ordinal);
        Assert.Equal(["3"], StudyDefinitionJson.Parse(json).Space.Parameters[1].Conditions["depth"]);
    }

    [Theory]
    [InlineData("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": {\"width\": [\"3\"]}", "parameters[1].conditions.width", "unknown conditional 'width'; the conditionals are depth, opt")]
    [InlineData("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": {\"depth\": [\"4\"]}", "parameters[1].conditions.depth[0]", "'4' is not a value of conditional 'depth'; its values are 2, 3")]
    [InlineData("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": {\"lr\": [\"3\"]}", "parameters[1].conditions.lr", "'lr' is a parameter, not a conditional")]
    [InlineData("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": {\"depth\": []}", "parameters[1].conditions.depth", "would never be active")]
    [InlineData("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": {\"depth\": [\"3\", \"3\"]}", "parameters[1].conditions.depth[1]", "duplicate value '3'")]
    [InlineData("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": {\"depth\": [3]}", "parameters[1].conditions.depth[0]", "expected a string")]
    [InlineData("\"conditions\": {\"depth\": [\"3\"]}", "\"conditions\": [\"depth\"]", "parameters[1].conditions", "expected an object")]
    [InlineData("{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}", "{\"name\": \"lr\", \"values\": [\"sgd\", \"adam\"]}", "conditionals[1].name", "'lr' is also the name of parameters[0]")]
    [InlineData("{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}", "{\"name\": \"depth\", \"values\": [\"sgd\", \"adam\"]}", "conditionals[1].name", "duplicate conditional name 'depth'")]
    [InlineData("{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}", "{\"name\": \"opt\", \"values\": []}", "conditionals[1].values", "a conditional needs at least one value")]
    [InlineData("{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}", "{\"name\": \"opt\", \"values\": [\"sgd\", \"sgd\"]}", "conditionals[1].values[1]", "duplicate categorical value 'sgd'")]
    [InlineData("{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}", "{\"name\": \"opt\", \"values\": [\"sgd\"], \"default\": \"sgd\"}", "conditionals[1].default", "unknown key 'default'")]
    [InlineData("{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}", "{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}, {\"name\": \"Depth\", \"values\": [\"a\"]}", "conditionals[2].name", "'Depth' and 'depth' (conditionals[0]) both become the environment variable HPCTUNE_PARAM_DEPTH")]
    [InlineData("{\"name\": \"opt\", \"values\": [\"sgd\", \"adam\"]}", "{\"name\": \"trial_id\", \"values\": [\"sgd\", \"adam\"]}", "conditionals[1].name", "'trial_id' is reserved")]
    public void Bad_conditionals_and_conditions_are_refused_with_their_json_path(string from, string to, string path, string problem)
    {
        var json = ModelStudies.ConditionalJson.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(ModelStudies.ConditionalJson, json);
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(json));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_without_any_conditionals_say_that_none_are_declared()
    {
        var e = Assert.Throws<DefinitionException>(() => new SearchSpace([ParameterDefinition.Double("x", 0, 1).WithConditions(new Dictionary<string, IReadOnlyList<string>> { ["depth"] = ["3"] })]));
        Assert.Equal("parameters[0].conditions.depth", e.Path);
        Assert.Contains("declares no \"conditionals\"", e.Problem, StringComparison.Ordinal);
    }
}
