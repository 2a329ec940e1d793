using HpcTune.Scheduling;
using HpcTune.Study;
using static HpcTune.Tests.Scheduling.SchedulingStudies;

namespace HpcTune.Tests.Scheduling;

/// <summary>The <c>early_stopping</c> object of study JSON: read, written, compared and checked against the registry.</summary>
public class EarlyStoppingDefinitionTests
{
    private const string Head = """{"name": "s", "parameters": [{"name": "x", "bounds": {"min": 0, "max": 1}}], "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": 5, "algorithm": {"name": "random"}""";

    [Fact]
    public void It_round_trips_through_json_with_its_options_and_takes_part_in_equality()
    {
        var definition = WithRule(options: """{"at_step": 3, "above": 0.25}""");
        var again = StudyDefinitionJson.Parse(StudyDefinitionJson.Write(definition));
        Assert.Equal(definition, again);
        Assert.Equal("test-threshold", again.EarlyStopping!.Name);
        Assert.Equal(3, again.EarlyStopping.Options["at_step"].GetInt32());
        Assert.NotEqual(definition, WithRule(options: """{"at_step": 4, "above": 0.25}"""));
        Assert.Null(StudyDefinitionJson.Parse(Head + "}").EarlyStopping);
    }

    [Theory]
    [InlineData(""", "early_stopping": {"name": "nope"}}""", "early_stopping.name", "unknown early stopping rule 'nope'; registered:")]
    [InlineData(""", "early_stopping": {"min_steps": 1}}""", "early_stopping.name", "missing")]
    [InlineData(""", "early_stopping": "asha"}""", "early_stopping", "")]
    [InlineData(""", "early_stopping": {"name": "test-threshold", "speed": 1}}""", "early_stopping.speed", "the test-threshold early stopping rule has no such option")]
    [InlineData(""", "early_stopping": {"name": "test-threshold", "at_step": -1}}""", "early_stopping.at_step", "at least 0")]
    public void A_bad_rule_names_its_path(string tail, string path, string message)
    {
        EarlyStoppingRegistry.Default.Add(ThresholdRuleProvider.Instance);
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Head + tail));
        Assert.Equal(path, e.Path);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_study_naming_an_unregistered_rule_is_still_readable()
    {
        var json = StudyDefinitionJson.Write(WithRule()).Replace("test-threshold", "gone-rule", StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("gone-rule", StudyDefinitionJson.ReadRecorded(document.RootElement).EarlyStopping!.Name);
    }
}
