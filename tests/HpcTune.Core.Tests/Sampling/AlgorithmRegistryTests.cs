using System.Text.Json;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Tests.Sampling;

public class AlgorithmRegistryTests
{
    private static string Study(string algorithm) => $$$"""
        {"name": "s", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}],
         "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": 5, "algorithm": {{{algorithm}}} }
        """;

    [Fact]
    public void An_algorithm_nobody_registered_is_refused_when_the_study_is_read()
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study("""{"name": "regevo", "seed": 1}""")));
        Assert.Equal("algorithm.name", e.Path);
        Assert.StartsWith("unknown algorithm 'regevo'; registered: random, sobol", e.Problem, StringComparison.Ordinal);
        Assert.Contains("AlgorithmRegistry.Default.Add(provider)", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_algorithm_nobody_registered_is_refused_when_the_definition_is_made_in_code()
    {
        var e = Assert.Throws<DefinitionException>(() => new StudyDefinition("s", [ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 5, algorithm: new AlgorithmSpec("regevo")));
        Assert.Equal("algorithm.name", e.Path);
    }

    [Fact]
    public void A_recorded_study_naming_an_unregistered_algorithm_reads_but_gets_no_sampler()
    {
        using var document = JsonDocument.Parse(Study("""{"name": "regevo", "seed": 1, "population": 20}"""));
        var recorded = StudyDefinitionJson.ReadRecorded(document.RootElement);
        Assert.Equal(20, recorded.Algorithm.Options["population"].GetInt32());
        var e = Assert.Throws<DefinitionException>(() => AlgorithmRegistry.Default.CreateSampler(recorded));
        Assert.Equal("algorithm.name", e.Path);
        Assert.Contains("unknown algorithm 'regevo'", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public void Random_and_sobol_take_no_option_but_the_first_editions_initial_points(string name)
    {
        Assert.Equal(4, StudyDefinitionJson.Parse(Study($$"""{"name": "{{name}}", "initial_points": 4}""")).Algorithm.Options["initial_points"].GetInt32());
        var unknown = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study($$"""{"name": "{{name}}", "acquisition": "ucb"}""")));
        Assert.Equal("algorithm.acquisition", unknown.Path);
        Assert.Contains($"the {name} algorithm has no such option", unknown.Problem, StringComparison.Ordinal);
        var zero = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study($$"""{"name": "{{name}}", "initial_points": 0}""")));
        Assert.Equal("algorithm.initial_points", zero.Path);
    }

    [Fact]
    public void Options_round_trip_through_json_as_written()
    {
        using var document = JsonDocument.Parse(Study("""{"name": "gp", "seed": 3, "beta": 1.50, "schedule": {"every": [1, 2]}, "flag": true}"""));
        var read = StudyDefinitionJson.ReadRecorded(document.RootElement);
        using var written = JsonDocument.Parse(StudyDefinitionJson.Write(read));
        var algorithm = written.RootElement.GetProperty("algorithm");
        Assert.Equal("1.50", algorithm.GetProperty("beta").GetRawText());
        Assert.True(JsonElement.DeepEquals(document.RootElement.GetProperty("algorithm").GetProperty("schedule"), algorithm.GetProperty("schedule")));
        Assert.Equal(read, StudyDefinitionJson.ReadRecorded(written.RootElement));
        Assert.NotEqual(read.Algorithm, read.Algorithm.WithOption("flag", false));
    }

    [Fact]
    public void Another_provider_under_a_taken_name_is_refused_and_the_same_one_again_is_harmless()
    {
        var provider = new NamedProvider("registry-test-" + Guid.NewGuid().ToString("N"));
        AlgorithmRegistry.Default.Add(provider);
        AlgorithmRegistry.Default.Add(provider);
        Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Default.Add(new NamedProvider(provider.Name)));
        Assert.False(AlgorithmRegistry.Default.TryAdd(new NamedProvider("random")));
        Assert.True(AlgorithmRegistry.Default.TryGet(provider.Name, out var found) && ReferenceEquals(provider, found));
    }

    [Fact]
    public void Seeds_are_the_built_in_samplers_own()
    {
        // Trial n of the random sampler is Seeds.FillUniform(Seeds.Derive(seed, n - 1)): a sampler of a program's own draws alike.
        var definition = new StudyDefinition("s", [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 5, algorithm: new AlgorithmSpec("random", 77));
        var tuner = new HpcTune.Tuning.Tuner(definition);
        var first = tuner.Suggest("w").Trial!.Assignment;
        var unit = new double[2];
        Seeds.FillUniform(Seeds.Derive(77, 0), unit);
        Assert.Equal(definition.Space.Decode(unit), first);
    }

    private sealed class NamedProvider(string name) : IAlgorithmProvider
    {
        public string Name => name;

        public void Validate(StudyDefinition definition)
        {
        }

        public ISampler Create(StudyDefinition definition) => new RandomSampler();
    }
}
