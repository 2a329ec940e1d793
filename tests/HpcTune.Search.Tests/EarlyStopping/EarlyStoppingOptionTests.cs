using HpcTune.Search.EarlyStopping;
using HpcTune.Study;

namespace HpcTune.Search.Tests.EarlyStopping;

public sealed class EarlyStoppingOptionTests
{
    private static string StudyJson(string earlyStopping, string algorithm = "random") => $$$"""
        {"name": "es", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}],
         "metrics": [{"name": "loss", "objective": "minimize"}, {"name": "acc", "objective": "maximize", "strategy": "store"}],
         "observation_budget": 20, "algorithm": {"name": "{{{algorithm}}}", "seed": 1}, "early_stopping": {{{earlyStopping}}}}
        """;

    private static DefinitionException Refused(string earlyStopping)
    {
        SearchAlgorithms.Register();
        return Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(StudyJson(earlyStopping)));
    }

    [Theory]
    [InlineData("""{"name": "asha", "min_steps": 0}""", "early_stopping.min_steps", "expected a positive integer, got 0")]
    [InlineData("""{"name": "asha", "min_steps": 1.5}""", "early_stopping.min_steps", "integer")]
    [InlineData("""{"name": "asha", "reduction_factor": 1}""", "early_stopping.reduction_factor", "expected an integer of at least 2, got 1")]
    [InlineData("""{"name": "asha", "reduction_factor": "3"}""", "early_stopping.reduction_factor", "")]
    [InlineData("""{"name": "asha", "min_steps": 9, "max_steps": 9}""", "early_stopping.max_steps", "max_steps (9) must be larger than min_steps (9)")]
    [InlineData("""{"name": "asha", "grace_period": 3}""", "early_stopping.grace_period", "unknown key 'grace_period': the asha early stopping rule has no such option; expected one of max_steps, metric, min_steps, name, reduction_factor")]
    [InlineData("""{"name": "asha", "metric": "accuracy"}""", "early_stopping.metric", "unknown metric 'accuracy'; the study's metrics are loss, acc")]
    [InlineData("""{"name": "median", "min_steps": -1}""", "early_stopping.min_steps", "expected an integer of at least 0, got -1")]
    [InlineData("""{"name": "median", "min_trials": 0}""", "early_stopping.min_trials", "expected a positive integer, got 0")]
    [InlineData("""{"name": "median", "n_startup_trials": 2}""", "early_stopping.n_startup_trials", "expected one of metric, min_steps, min_trials, name")]
    [InlineData("""{"name": "median", "metric": 3}""", "early_stopping.metric", "")]
    [InlineData("""{"name": "hyperband"}""", "early_stopping.name", "unknown early stopping rule 'hyperband'; registered: median, asha")]
    public void Bad_options_are_refused_at_their_path(string earlyStopping, string path, string problem)
    {
        var refused = Refused(earlyStopping);
        Assert.Equal(path, refused.Path);
        Assert.Contains(problem, refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_options_make_a_study_that_writes_and_reads_them_back()
    {
        SearchAlgorithms.Register();
        var study = StudyDefinitionJson.Parse(StudyJson("""{"name": "asha", "min_steps": 2, "reduction_factor": 4, "max_steps": 100, "metric": "acc"}"""));
        Assert.Equal(study, StudyDefinitionJson.Parse(StudyDefinitionJson.Write(study)));
        var rule = Assert.IsType<AshaStopping>(Scheduling.EarlyStoppingRegistry.Default.Create(study));
        Assert.Equal([2L, 8, 32], rule.RungSteps);
        var median = StudyDefinitionJson.Parse(StudyJson("""{"name": "median"}"""));
        Assert.Equal("median", Scheduling.EarlyStoppingRegistry.Default.Create(median)!.Name);
    }

    [Theory]
    [InlineData("asha")]
    [InlineData("median")]
    public void A_pbt_study_is_refused(string rule)
    {
        SearchAlgorithms.Register();
        // Whether pbt is registered or not, the rule's own check refuses it (a recorded study skips the registries).
        var json = System.Text.Json.JsonDocument.Parse(StudyJson($$"""{"name": "{{rule}}"}""", algorithm: "pbt")).RootElement;
        var study = StudyDefinitionJson.ReadRecorded(json);
        Assert.True(Scheduling.EarlyStoppingRegistry.Default.TryGet(rule, out var provider));
        var refused = Assert.Throws<DefinitionException>(() => provider.Validate(study));
        Assert.Equal("early_stopping", refused.Path);
        Assert.StartsWith("early_stopping combines with any algorithm but pbt", refused.Problem, StringComparison.Ordinal);
    }
}
