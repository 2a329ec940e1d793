using System.Text.Json;
using HpcTune.Sampling;
using HpcTune.Search.Population;
using HpcTune.Space;
using HpcTune.Study;
using static HpcTune.Search.Tests.Population.PopulationFixtures;

namespace HpcTune.Search.Tests.Population;

public sealed class PbtOptionsTests
{
    [Fact]
    public void Defaults_fill_the_optional_options()
    {
        var options = PbtOptions.Read(PbtStudy(population: 8, steps: 5, generations: 3));
        Assert.Equal((8, 5, 3), (options.PopulationSize, options.StepsPerGeneration, options.Generations));
        Assert.Equal(PbtOptions.DefaultQuantile, options.Quantile);
        Assert.Equal(PbtOptions.DefaultResampleProbability, options.ResampleProbability);
        Assert.Equal([0.8, 1.2], options.PerturbationFactors);
        Assert.Equal(2, options.TruncationCount); // ceil(8 · 0.25)
    }

    [Theory]
    [InlineData(2, 0.25, 1)] // at least one, so two members still exploit
    [InlineData(10, 0.25, 3)]
    [InlineData(5, 0.5, 2)] // at most half
    [InlineData(16, 0.5, 8)]
    public void Truncation_count_is_the_ceiling_of_the_quantile_at_most_half(int population, double quantile, int expected) =>
        Assert.Equal(expected, PbtOptions.Read(PbtStudy(population: population, generations: 1, quantile: quantile)).TruncationCount);

    [Theory]
    [InlineData("population_size", "algorithm.population_size", "pbt needs population_size")]
    [InlineData("steps_per_generation", "algorithm.steps_per_generation", "pbt needs steps_per_generation")]
    [InlineData("generations", "algorithm.generations", "pbt needs generations")]
    public void A_missing_required_option_is_named(string option, string path, string problem)
    {
        var definition = PbtStudy();
        var options = definition.Algorithm.Options.Where(p => p.Key != option).ToDictionary(p => p.Key, p => p.Value);
        var e = Assert.Throws<DefinitionException>(() => Remake(definition, definition.Algorithm with { Options = options }));
        Assert.Equal(path, e.Path);
        Assert.StartsWith(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("population_size", "1", "algorithm.population_size", "expected an integer of at least 2, got 1")]
    [InlineData("steps_per_generation", "0", "algorithm.steps_per_generation", "expected a positive integer, got 0")]
    [InlineData("generations", "2.5", "algorithm.generations", "2.5")]
    [InlineData("quantile", "0", "algorithm.quantile", "expected a number in (0, 0.5], got 0")]
    [InlineData("quantile", "0.75", "algorithm.quantile", "expected a number in (0, 0.5], got 0.75")]
    [InlineData("resample_probability", "1.5", "algorithm.resample_probability", "expected a number in [0, 1], got 1.5")]
    [InlineData("resample_probability", "-0.1", "algorithm.resample_probability", "expected a number in [0, 1], got -0.1")]
    [InlineData("perturbation_factors", "[]", "algorithm.perturbation_factors", "expected a non-empty array of positive numbers")]
    [InlineData("perturbation_factors", "1.2", "algorithm.perturbation_factors", "expected a non-empty array of positive numbers")]
    [InlineData("perturbation_factors", "[0.8, -1]", "algorithm.perturbation_factors[1]", "expected a positive finite number, got -1")]
    [InlineData("perturbation_factors", "[0.8, \"up\"]", "algorithm.perturbation_factors[1]", "expected a positive finite number, got the string \"up\"")]
    [InlineData("explore", "\"perturb\"", "algorithm.explore", "unknown key 'explore': the pbt algorithm has no such option")]
    public void A_bad_option_is_refused_at_its_path(string option, string json, string path, string problem)
    {
        var definition = PbtStudy();
        using var document = JsonDocument.Parse(json);
        var e = Assert.Throws<DefinitionException>(() => Remake(definition, definition.Algorithm.WithOption(option, document.RootElement)));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_must_be_population_times_generations()
    {
        var e = Assert.Throws<DefinitionException>(() => PbtStudy(population: 4, generations: 5, budget: 30));
        Assert.Equal("observation_budget", e.Path);
        Assert.Contains("4 x 5 = 20 segments", e.Problem, StringComparison.Ordinal);
        Assert.Contains("observation_budget must be 20; got 30", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Early_stopping_is_refused_with_pbt()
    {
        var definition = PbtStudy();
        var e = Assert.Throws<DefinitionException>(() => new StudyDefinition(definition.Name, definition.Space.Parameters, definition.Metrics,
            definition.ObservationBudget, algorithm: definition.Algorithm, earlyStopping: new EarlyStoppingSpec("median")));
        Assert.Equal("early_stopping", e.Path);
        Assert.Contains("combines with any algorithm but pbt", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_objectives_are_refused()
    {
        var e = Assert.Throws<DefinitionException>(() => PbtStudy(extraMetrics: [new MetricDefinition("cost", MetricObjective.Minimize)]));
        Assert.Equal("metrics", e.Path);
        Assert.Contains("one objective", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_study_whose_budget_changed_still_gets_its_sampler()
    {
        var definition = PbtStudy(population: 2, generations: 2).With(observationBudget: 10); // raised after it started
        Assert.IsType<PbtSampler>(AlgorithmRegistry.Default.CreateSampler(definition));
    }

    private static StudyDefinition Remake(StudyDefinition definition, AlgorithmSpec algorithm) =>
        new(definition.Name, definition.Space.Parameters, definition.Metrics, definition.ObservationBudget, definition.ParallelBandwidth, algorithm: algorithm);

    [Fact]
    public void The_registered_name_is_pbt()
    {
        SearchAlgorithms.Register();
        Assert.Contains("pbt", AlgorithmRegistry.Default.Names);
        Assert.IsType<PbtSampler>(AlgorithmRegistry.Default.CreateSampler(PbtStudy(parameters: [ParameterDefinition.Int("n", 1, 9)])));
    }
}
