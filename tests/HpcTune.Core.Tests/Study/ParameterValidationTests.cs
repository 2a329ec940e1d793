using HpcTune.Study;

namespace HpcTune.Tests.Study;

public class ParameterValidationTests
{
    [Theory]
    [InlineData("""{"name": "", "type": "double", "bounds": {"min": 0, "max": 1}}""", "parameters[2].name", "empty")]
    [InlineData("""{"name": "a", "type": "double", "bounds": {"min": 0, "max": 1}}""", "parameters[2].name", "duplicate parameter name 'a'")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 1, "max": 1}}""", "parameters[2].bounds.min", "min must be smaller than max")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 2, "max": 1}}""", "parameters[2].bounds.min", "min must be smaller than max")]
    [InlineData("""{"name": "c", "type": "int", "bounds": {"min": 5, "max": 5}}""", "parameters[2].bounds.min", "min must be smaller than max")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1}, "transformation": "log"}""", "parameters[2].bounds.min", "log transformation needs min > 0")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": -1, "max": 1}, "transformation": "log"}""", "parameters[2].bounds.min", "log transformation needs min > 0")]
    [InlineData("""{"name": "c", "type": "categorical", "categorical_values": []}""", "parameters[2].categorical_values", "at least one value")]
    [InlineData("""{"name": "c", "type": "categorical", "categorical_values": ["x", "y", "x"]}""", "parameters[2].categorical_values[2]", "duplicate categorical value 'x'")]
    [InlineData("""{"name": "c", "type": "categorical", "categorical_values": ["x", ""]}""", "parameters[2].categorical_values[1]", "non-empty")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1}, "step": 0}""", "parameters[2].step", "positive")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1}, "step": -0.1}""", "parameters[2].step", "positive")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1}, "step": 1.5}""", "parameters[2].step", "larger than the range")]
    [InlineData("""{"name": "c", "type": "int", "bounds": {"min": 0, "max": 10}, "step": 2.5}""", "parameters[2].step", "integer step")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 1e999, "max": 1}}""", "parameters[2].bounds.min", "not a finite double")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": -1e400}}""", "parameters[2].bounds.max", "not a finite double")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": -1.7e308, "max": 1.7e308}}""", "parameters[2].bounds", "overflows")]
    [InlineData("""{"name": "c", "type": "int", "bounds": {"min": 0.5, "max": 3}}""", "parameters[2].bounds.min", "integer min")]
    [InlineData("""{"name": "c", "type": "float", "bounds": {"min": 0, "max": 1}}""", "parameters[2].type", "unknown type 'float'")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1}, "transformation": "ln"}""", "parameters[2].transformation", "unknown transformation 'ln'")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0}}""", "parameters[2].bounds.max", "missing")]
    [InlineData("""{"name": "c", "type": "double"}""", "parameters[2].bounds", "missing")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": "0", "max": 1}}""", "parameters[2].bounds.min", "expected a number, got the string \"0\"")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1, "mid": 0.5}}""", "parameters[2].bounds.mid", "unknown key 'mid'")]
    [InlineData("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1}, "default": 0.5}""", "parameters[2].default", "unknown key 'default'")]
    [InlineData("""{"name": "c", "type": "categorical", "categorical_values": ["x", 3]}""", "parameters[2].categorical_values[1]", "expected a string, got the number 3")]
    [InlineData("""{"type": "double", "bounds": {"min": 0, "max": 1}}""", "parameters[2].name", "missing")]
    [InlineData("""{"name": "c", "name": "d", "type": "double", "bounds": {"min": 0, "max": 1}}""", "parameters[2].name", "appears twice")]
    [InlineData("""[1, 2]""", "parameters[2]", "expected an object, got an array")]
    public void A_bad_parameter_is_named_by_its_path(string parameterJson, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(StudyJsonFixtures.WithThirdParameter(parameterJson)));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Programmatic_parameters_are_validated_the_same_way()
    {
        var e = Assert.Throws<DefinitionException>(() => new HpcTune.Space.SearchSpace(
            [HpcTune.Space.ParameterDefinition.Double("x", 0, 1), HpcTune.Space.ParameterDefinition.Double("y", 3, 2)]));
        Assert.Equal("parameters[1].bounds.min", e.Path);
    }
}
