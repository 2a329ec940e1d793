using HpcTune.Sampling;
using HpcTune.Search.Evolution;
using HpcTune.Study;

namespace HpcTune.Search.Tests.Evolution;

public sealed class EvolutionOptionsTests
{
    private static string StudyJson(string algorithm, string metrics = """[{"name": "loss", "objective": "minimize"}]""") => $$$"""
        {"name": "evo", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}],
         "metrics": {{{metrics}}}, "observation_budget": 30, "algorithm": {{{algorithm}}} }
        """;

    private static StudyDefinition Parse(string algorithm, string? metrics = null)
    {
        SearchAlgorithms.Register();
        return metrics is null ? StudyDefinitionJson.Parse(StudyJson(algorithm)) : StudyDefinitionJson.Parse(StudyJson(algorithm, metrics));
    }

    [Fact]
    public void Evolution_is_registered_by_its_contract_name()
    {
        SearchAlgorithms.Register();
        Assert.Contains("evolution", AlgorithmRegistry.Default.Names);
        Assert.Equal("evolution", AlgorithmRegistry.Default.CreateSampler(Parse("""{"name": "evolution", "seed": 1}""")).Name);
    }

    [Fact]
    public void Defaults_are_a_population_of_20_and_a_tournament_of_half_of_it()
    {
        var options = EvolutionOptions.Read(Parse("""{"name": "evolution"}"""));
        Assert.Equal((20, 10, 0.1), (options.PopulationSize, options.SampleSize, options.MutationScale));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(7, 4)]
    [InlineData(100, 50)]
    public void The_default_tournament_follows_the_population_given(int population, int sample) =>
        Assert.Equal(sample, EvolutionOptions.Read(Parse($$"""{"name": "evolution", "population_size": {{population}}}""")).SampleSize);

    [Fact]
    public void Given_options_are_kept()
    {
        var options = EvolutionOptions.Read(Parse("""{"name": "evolution", "population_size": 12, "sample_size": 12, "mutation_scale": 0.25, "seed": 4}"""));
        Assert.Equal((12, 12, 0.25), (options.PopulationSize, options.SampleSize, options.MutationScale));
    }

    [Theory]
    [InlineData("""{"name": "evolution", "population_size": 0}""", "algorithm.population_size", "expected a positive integer, got 0")]
    [InlineData("""{"name": "evolution", "population_size": 2.5}""", "algorithm.population_size", "2.5")]
    [InlineData("""{"name": "evolution", "population_size": "many"}""", "algorithm.population_size", "many")]
    [InlineData("""{"name": "evolution", "sample_size": 0}""", "algorithm.sample_size", "expected a positive integer, got 0")]
    [InlineData("""{"name": "evolution", "population_size": 8, "sample_size": 9}""", "algorithm.sample_size", "must be at most population_size (8); got 9")]
    [InlineData("""{"name": "evolution", "sample_size": 21}""", "algorithm.sample_size", "must be at most population_size (20, the default); got 21")]
    [InlineData("""{"name": "evolution", "mutation_scale": 0}""", "algorithm.mutation_scale", "expected a number in (0, 1]")]
    [InlineData("""{"name": "evolution", "mutation_scale": 1.5}""", "algorithm.mutation_scale", "got 1.5")]
    [InlineData("""{"name": "evolution", "tournament": 5}""", "algorithm.tournament", "unknown key 'tournament': the evolution algorithm has no such option; expected one of")]
    public void A_bad_option_is_refused_at_its_path(string algorithm, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => Parse(algorithm));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unknown_option_error_lists_the_options_that_exist()
    {
        var e = Assert.Throws<DefinitionException>(() => Parse("""{"name": "evolution", "population": 20}"""));
        Assert.Contains("mutation_scale, name, population_size, sample_size, seed", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_objectives_are_refused_with_the_way_out()
    {
        var e = Assert.Throws<DefinitionException>(() => Parse("""{"name": "evolution"}""",
            """[{"name": "loss", "objective": "minimize"}, {"name": "time", "objective": "minimize"}]"""));
        Assert.Equal("algorithm.name", e.Path);
        Assert.Contains("optimizes 2 (loss, time)", e.Problem, StringComparison.Ordinal);
        Assert.Contains("make all but one a constraint", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Constraint_metrics_are_accepted()
    {
        var study = Parse("""{"name": "evolution"}""",
            """[{"name": "loss", "objective": "minimize"}, {"name": "mem", "objective": "minimize", "strategy": "constraint", "threshold": 4}]""");
        Assert.True(study.HasConstraints);
    }
}
