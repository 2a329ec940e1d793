using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Tests.Study;

/// <summary>Parameter names and values that would hijack HpcTune's own names or not survive exec (issue 23, item 5).</summary>
public class ReservedNameTests
{
    public static TheoryData<string> Reserved => new(
        "trial_id", "trial_dir", "params_file",
        "checkpoint_dir", "parent_checkpoint_dir", "start_step", "end_step", "member", "generation");

    [Theory]
    [MemberData(nameof(Reserved))]
    public void A_reserved_name_is_refused_in_json_with_its_path(string name)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(
            StudyJsonFixtures.WithThirdParameter($$"""{"name": "{{name}}", "type": "categorical", "categorical_values": ["../../elsewhere"]}""")));
        Assert.Equal("parameters[2].name", e.Path);
        Assert.Contains($"'{name}' is reserved", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Reserved))]
    public void A_reserved_name_is_refused_in_code(string name)
    {
        var e = Assert.Throws<DefinitionException>(() => Study(ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Int(name, 0, 9)));
        Assert.Equal("parameters[1].name", e.Path);
        Assert.Contains("reserved", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_template_knows_every_placeholder_of_today_as_reserved()
    {
        foreach (var placeholder in CommandTemplate.TrialPlaceholders)
        {
            Assert.Contains(placeholder, ParameterNames.Reserved);
        }
    }

    [Theory]
    [InlineData("a-b", "a_b", "HPCTUNE_PARAM_A_B")]
    [InlineData("A", "a", "HPCTUNE_PARAM_A")]
    [InlineData("lr.max", "LR_MAX", "HPCTUNE_PARAM_LR_MAX")]
    [InlineData("é", "ü", "HPCTUNE_PARAM__")]
    public void Two_names_that_map_to_one_environment_variable_are_refused_naming_both(string first, string second, string variable)
    {
        var json = StudyJsonFixtures.WithThirdParameter("THIRD")
            .Replace("\"name\": \"a\"", $"\"name\": \"{first}\"", StringComparison.Ordinal)
            .Replace("THIRD", $$$"""{"name": "{{{second}}}", "type": "double", "bounds": {"min": 0, "max": 1}}""", StringComparison.Ordinal);
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(json));
        Assert.Equal("parameters[2].name", e.Path);
        Assert.Contains($"'{second}'", e.Problem, StringComparison.Ordinal);
        Assert.Contains($"'{first}' (parameters[0])", e.Problem, StringComparison.Ordinal);
        Assert.Contains(variable, e.Problem, StringComparison.Ordinal);

        var inCode = Assert.Throws<DefinitionException>(() => new SearchSpace([ParameterDefinition.Double(first, 0, 1), ParameterDefinition.Double(second, 0, 1)]));
        Assert.Equal("parameters[1].name", inCode.Path);
    }

    [Theory]
    [InlineData("lr")]
    [InlineData("a-b")]
    [InlineData("Δx")]
    [InlineData("trial_id2")]
    [InlineData("TRIAL_ID")]
    public void The_variable_a_study_checks_is_the_one_the_command_objective_sets(string name) =>
        Assert.Equal("HPCTUNE_PARAM_" + CommandObjective.EnvironmentName(name), ParameterNames.EnvironmentVariable(name));

    [Fact]
    public void No_parameter_variable_is_one_of_hpctunes_own_variables()
    {
        Assert.Contains("HPCTUNE_TRIAL_ID", ParameterNames.ReservedEnvironmentVariables);
        Assert.Contains("HPCTUNE_PARAMS_FILE", ParameterNames.ReservedEnvironmentVariables);
        foreach (var name in ParameterNames.Reserved.Concat(["s_file", "S_FILE", "_", "PARAMS_FILE"]))
        {
            Assert.DoesNotContain(ParameterNames.EnvironmentVariable(name), ParameterNames.ReservedEnvironmentVariables);
        }
    }

    [Theory]
    [InlineData("""{"name": "c", "type": "categorical", "categorical_values": ["x", "a\u0000b"]}""", "parameters[2].categorical_values[1]", "NUL")]
    [InlineData("""{"name": "c\u0000d", "type": "double", "bounds": {"min": 0, "max": 1}}""", "parameters[2].name", "NUL")]
    public void A_nul_is_refused_at_definition_time_with_its_path(string parameterJson, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(StudyJsonFixtures.WithThirdParameter(parameterJson)));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NUL")]
    [InlineData("surrogate")]
    public void A_value_that_cannot_pass_through_exec_is_refused_in_code(string problem)
    {
        var value = problem == "NUL" ? "a\0b" : $"a{(char)0xD800}b"; // an attribute cannot carry a lone surrogate
        var e = Assert.Throws<DefinitionException>(() => Study(ParameterDefinition.Categorical("c", "ok", value)));
        Assert.Equal("parameters[0].categorical_values[1]", e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);

        var name = Assert.Throws<DefinitionException>(() => Study(ParameterDefinition.Double(value, 0, 1)));
        Assert.Equal("parameters[0].name", name.Path);
        Assert.Contains(problem, name.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_that_only_look_alike_but_map_apart_are_kept()
    {
        var space = new SearchSpace([ParameterDefinition.Double("trial", 0, 1), ParameterDefinition.Double("id", 0, 1), ParameterDefinition.Double("TRIAL_ID", 0, 1), ParameterDefinition.Double("a__b", 0, 1), ParameterDefinition.Double("a_b", 0, 1)]);
        Assert.Equal(5, space.Dimension);
    }

    private static StudyDefinition Study(params ParameterDefinition[] parameters) =>
        new("s", parameters, [new MetricDefinition("loss", MetricObjective.Minimize)], 10);
}
