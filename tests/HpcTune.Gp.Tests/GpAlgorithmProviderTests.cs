using System.Text.Json;
using HpcTune.Gp.Sampling;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Gp.Tests;

public class GpAlgorithmProviderTests
{
    private static string Study(string algorithm, string metrics = """[{"name": "loss", "objective": "minimize"}]""", int parallelBandwidth = 1) => $$$"""
        {"name": "s", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}],
         "metrics": {{{metrics}}}, "observation_budget": 5, "parallel_bandwidth": {{{parallelBandwidth}}}, "algorithm": {{{algorithm}}} }
        """;

    [Fact]
    public void A_first_edition_gp_study_reads_and_its_options_reach_the_sampler()
    {
        var definition = StudyDefinitionJson.Parse(Study("""{"name": "gp", "seed": 42, "initial_points": 10, "acquisition": "qucb"}"""));
        Assert.Equal(GpAlgorithmProvider.Spec(42, 10, "qucb"), definition.Algorithm);
        Assert.Equal("qucb", GpSampler.OptionsFor(definition).Acquisition);
        Assert.IsType<GpSampler>(AlgorithmRegistry.Default.CreateSampler(definition));
        Assert.Equal("log_ei", GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp"}"""))).Acquisition);
    }

    [Theory]
    [InlineData("""{"name": "gp", "acquisition": "ei"}""", "algorithm.acquisition", "unknown acquisition 'ei'; expected one of log_ei, ucb, qucb")]
    [InlineData("""{"name": "gp", "acquisition": 3}""", "algorithm.acquisition", "expected a string, got the number 3")]
    [InlineData("""{"name": "gp", "initial_points": 0}""", "algorithm.initial_points", "expected a positive integer, got 0")]
    [InlineData("""{"name": "gp", "initial_points": 2.5}""", "algorithm.initial_points", "expected an integer")]
    [InlineData("""{"name": "gp", "kappa": 2}""", "algorithm.kappa", "the gp algorithm has no such option; expected one of acquisition, coordinate_moves, coordinate_moves_when, device, engine, initial_points, multi_objective, name, seed")]
    [InlineData("""{"name": "gp", "coordinate_moves": -1}""", "algorithm.coordinate_moves", "expected an integer of at least 0, got -1")]
    [InlineData("""{"name": "gp", "coordinate_moves": 65}""", "algorithm.coordinate_moves", "expected at most 64 moves per parameter, got 65")]
    [InlineData("""{"name": "gp", "coordinate_moves": "many"}""", "algorithm.coordinate_moves", "expected an integer")]
    [InlineData("""{"name": "gp", "coordinate_moves_when": "late"}""", "algorithm.coordinate_moves_when", "unknown coordinate_moves_when 'late'; expected one of paying, stalled, always")]
    [InlineData("""{"name": "gp", "coordinate_moves_when": true}""", "algorithm.coordinate_moves_when", "expected a string")]
    [InlineData("""{"name": "gp", "multi_objective": "ehvi"}""", "algorithm.multi_objective", "the study optimizes one metric (loss); multi_objective applies to studies with several objectives")]
    public void Bad_options_are_refused_at_their_path(string algorithm, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study(algorithm)));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinate_moves_reach_the_sampler_and_are_refused_with_several_objectives()
    {
        Assert.Equal(3, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves": 3}"""))).CoordinateMoves);
        Assert.Equal(0, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves": 0}"""))).CoordinateMoves);
        Assert.Equal(5, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves": 5}""", parallelBandwidth: 8))).CoordinateMoves);
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves": 8}""", TwoObjectives)));
        Assert.Equal("algorithm.coordinate_moves", e.Path);
        Assert.Contains("applies to the GP of one objective", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_option_a_sequential_study_gets_coordinate_moves_and_one_with_open_suggestions_none()
    {
        Assert.Equal(GpSampler.SequentialCoordinateMoves, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp"}"""))).CoordinateMoves);
        Assert.True(GpSampler.SequentialCoordinateMoves > 0);
        Assert.Equal(CoordinateMoveSchedule.Paying, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp"}"""))).CoordinateMovesWhen);
        Assert.Equal(0, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp"}""", parallelBandwidth: 2))).CoordinateMoves);
        Assert.Equal(0, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp"}""", parallelBandwidth: 8))).CoordinateMoves);
    }

    [Fact]
    public void Coordinate_moves_join_while_the_region_stalls_unless_the_study_asks_for_always()
    {
        Assert.Equal(CoordinateMoveSchedule.Paying, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves": 8}"""))).CoordinateMovesWhen);
        Assert.Equal(CoordinateMoveSchedule.Stalled, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves": 8, "coordinate_moves_when": "stalled"}"""))).CoordinateMovesWhen);
        Assert.Equal(CoordinateMoveSchedule.Always, GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves": 8, "coordinate_moves_when": "always"}"""))).CoordinateMovesWhen);
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study("""{"name": "gp", "coordinate_moves_when": "always"}""", TwoObjectives)));
        Assert.Equal("algorithm.coordinate_moves_when", e.Path);
    }

    [Fact]
    public void A_constrained_study_is_accepted_and_gets_a_gp_sampler()
    {
        var metrics = """[{"name": "loss", "objective": "minimize"}, {"name": "mem", "objective": "minimize", "strategy": "constraint", "threshold": 4}]""";
        var definition = StudyDefinitionJson.Parse(Study("""{"name": "gp"}""", metrics));
        Assert.True(definition.HasConstraints);
        Assert.IsType<GpSampler>(AlgorithmRegistry.Default.CreateSampler(definition));
    }

    private const string TwoObjectives = """[{"name": "loss", "objective": "minimize"}, {"name": "latency", "objective": "minimize"}]""";

    [Theory]
    [InlineData("""{"name": "gp"}""", "Ehvi")]
    [InlineData("""{"name": "gp", "multi_objective": "ehvi", "acquisition": "log_ei"}""", "Ehvi")]
    [InlineData("""{"name": "gp", "multi_objective": "parego", "initial_points": 8}""", "Parego")]
    public void A_study_with_several_objectives_gets_the_multi_objective_gp(string algorithm, string method)
    {
        var definition = StudyDefinitionJson.Parse(Study(algorithm, TwoObjectives));
        Assert.Equal(method, Assert.IsType<MultiObjective.MultiObjectiveGpSampler>(AlgorithmRegistry.Default.CreateSampler(definition)).Method.ToString());
    }

    [Theory]
    [InlineData("""{"name": "gp", "multi_objective": "nsga2"}""", "algorithm.multi_objective", "unknown multi_objective 'nsga2'; expected one of ehvi, parego")]
    [InlineData("""{"name": "gp", "multi_objective": 1}""", "algorithm.multi_objective", "expected a string, got the number 1")]
    [InlineData("""{"name": "gp", "acquisition": "ucb"}""", "algorithm.acquisition", "'ucb' is an acquisition for one objective, but the study optimizes 2 (loss, latency): choose theirs with multi_objective (ehvi, parego)")]
    public void Bad_multi_objective_options_are_refused_at_their_path(string algorithm, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study(algorithm, TwoObjectives)));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_study_with_several_objectives_and_a_constraint_gets_the_multi_objective_gp()
    {
        var metrics = """[{"name": "loss", "objective": "minimize"}, {"name": "latency", "objective": "minimize"}, {"name": "mem", "objective": "minimize", "strategy": "constraint", "threshold": 4}]""";
        var definition = StudyDefinitionJson.Parse(Study("""{"name": "gp"}""", metrics));
        Assert.True(definition.HasConstraints && definition.IsMultiObjective);
        Assert.IsType<MultiObjective.MultiObjectiveGpSampler>(AlgorithmRegistry.Default.CreateSampler(definition));
    }

    [Fact]
    public void A_conditional_study_is_accepted_and_gets_a_gp_sampler()
    {
        // Conditional parameters: inactive ones are imputed in the GP's features (GpConditionalTests).
        var conditional = """
            {"name": "c", "conditionals": [{"name": "depth", "values": ["2", "3"]}],
             "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}},
                            {"name": "units3", "type": "int", "bounds": {"min": 16, "max": 256}, "conditions": {"depth": ["3"]}}],
             "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": 10, "algorithm": {"name": "gp"}}
            """;
        var study = StudyDefinitionJson.Parse(conditional);
        Assert.True(study.HasConditions);
        Assert.IsType<GpSampler>(AlgorithmRegistry.Default.CreateSampler(study));
    }

    [Fact]
    public void A_constrained_study_recorded_by_the_first_edition_still_resumes_with_the_gp()
    {
        // The first edition ran the GP on such studies (ignoring the constraint for suggestions): its checkpoints stay resumable.
        var metrics = """[{"name": "loss", "objective": "minimize"}, {"name": "mem", "objective": "minimize", "strategy": "constraint", "threshold": 4}]""";
        using var document = JsonDocument.Parse(Study("""{"name": "gp", "seed": 1}""", metrics));
        var recorded = StudyDefinitionJson.ReadRecorded(document.RootElement);
        Assert.IsType<GpSampler>(AlgorithmRegistry.Default.CreateSampler(recorded));
    }

    [Fact]
    public void Changing_a_definitions_algorithm_to_the_gp_is_checked_like_a_new_definition()
    {
        var sobol = new StudyDefinition("s", [ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("mem", MetricObjective.Minimize, MetricStrategy.Constraint, 4)],
            5, algorithm: new AlgorithmSpec("sobol", 1));
        // The constraint is no reason to refuse any more (the GP models it); a bad option still is.
        Assert.Equal("algorithm.initial_points", Assert.Throws<DefinitionException>(() => sobol.With(algorithm: GpAlgorithmProvider.Spec(1).WithOption("initial_points", 0))).Path);
        Assert.Equal("gp", sobol.With(algorithm: GpAlgorithmProvider.Spec(1)).Algorithm.Name);
        Assert.Equal(7, sobol.With(algorithm: new AlgorithmSpec("sobol", 7)).Algorithm.Seed);
    }
}
