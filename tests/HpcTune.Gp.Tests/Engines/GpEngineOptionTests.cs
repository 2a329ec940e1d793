using HpcTune.Gp.Engines;
using HpcTune.Gp.LinearAlgebra;
using HpcTune.Gp.Sampling;
using HpcTune.Study;

namespace HpcTune.Gp.Tests.Engines;

/// <summary><c>algorithm.engine</c> and <c>algorithm.device</c>: what they choose and how bad values are refused.</summary>
public class GpEngineOptionTests
{
    private static string Study(string algorithm, string metrics = """[{"name": "loss", "objective": "minimize"}]""") => $$$"""
        {"name": "s", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}],
         "metrics": {{{metrics}}}, "observation_budget": 5, "algorithm": {{{algorithm}}} }
        """;

    [Fact]
    public void Without_an_engine_the_gp_keeps_the_process_linear_algebra()
    {
        var options = GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp"}""")));
        Assert.Null(options.Engine);
        Assert.Same(LinearAlgebraProviders.Default, options.LinearAlgebra);
    }

    [Fact]
    public void Managed_and_native_choose_the_linear_algebra_of_the_host_engine()
    {
        var managed = GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "engine": "managed"}""")));
        Assert.Same(ManagedLinearAlgebra.Instance, managed.LinearAlgebra);
        Assert.Null(managed.Engine);
        var native = GpSampler.OptionsFor(StudyDefinitionJson.Parse(Study("""{"name": "gp", "engine": "native"}""")));
        Assert.IsType<NativeLinearAlgebra>(native.LinearAlgebra);
        Assert.Null(native.Engine);
    }

    [Theory]
    [InlineData("""{"name": "gp", "engine": "cuda"}""", "algorithm.engine", "unknown engine 'cuda'; expected one of native, managed, torch")]
    [InlineData("""{"name": "gp", "device": "gpu", "engine": "torch"}""", "algorithm.device", "unknown device 'gpu'; expected one of cpu, cuda")]
    [InlineData("""{"name": "gp", "device": "cuda"}""", "algorithm.device", "device 'cuda' applies to the torch engine; add \"engine\": \"torch\" (the default engine runs on the host)")]
    [InlineData("""{"name": "gp", "engine": "native", "device": "cpu"}""", "algorithm.device", "device 'cpu' applies to the torch engine; add \"engine\": \"torch\" (the native engine runs on the host)")]
    public void Bad_engine_options_are_refused_at_their_path(string algorithm, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study(algorithm)));
        Assert.Equal(path, e.Path);
        Assert.Equal(problem, e.Problem);
    }

    [Fact]
    public void Torch_without_HpcTune_Torch_registered_says_what_to_reference_and_call()
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study("""{"name": "gp", "engine": "torch"}""")));
        Assert.Equal("algorithm.engine", e.Path);
        Assert.Contains("HpcTune.Torch", e.Problem, StringComparison.Ordinal);
        Assert.Contains("libtorch-cpu-linux-x64 2.10.0", e.Problem, StringComparison.Ordinal);
        Assert.Contains("TorchEngine.Register()", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_applies_to_the_gp_of_one_objective()
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study("""{"name": "gp", "engine": "managed"}""",
            """[{"name": "loss", "objective": "minimize"}, {"name": "latency", "objective": "minimize"}]""")));
        Assert.Equal("algorithm.engine", e.Path);
        Assert.Equal("the study optimizes 2 objectives; engine applies to the GP of one objective", e.Problem);
    }

    [Fact]
    public void The_host_engine_gives_the_gaussian_process_own_numbers()
    {
        var random = new Random(11);
        var x = Enumerable.Range(0, 40 * 3).Select(_ => random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 40).Select(i => Math.Sin(5 * x[3 * i]) + x[(3 * i) + 1]).ToArray();
        double[] theta = [-1, -0.5, 0, 0.1, -6];
        var gp = new Model.GaussianProcess(new Model.GpHyperparameters(theta), ManagedLinearAlgebra.Instance);
        gp.SetData(x, y);
        var points = Enumerable.Range(0, 5 * 3).Select(_ => random.NextDouble()).ToArray();
        var pointsT = new double[15];
        for (var j = 0; j < 5; j++)
        {
            for (var d = 0; d < 3; d++)
            {
                pointsT[(d * 5) + j] = points[(j * 3) + d];
            }
        }

        var (mean, variance) = (new double[5], new double[5]);
        gp.Predict(pointsT, 5, mean, variance);
        using var fitted = HostGpEngine.Managed.Fit(x, y, 3, theta);
        var (mean1, variance1) = (new double[5], new double[5]);
        fitted.Predict(points, 5, mean1, variance1, []);
        Assert.Equal(mean, mean1);
        Assert.Equal(variance, variance1);
    }
}
