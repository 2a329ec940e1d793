using HpcTune.Gp.Engines;
using HpcTune.Gp.Sampling;
using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Tuning;
using HpcTune.Values;
using TorchSharp;

namespace HpcTune.Torch.Tests;

/// <summary>Registration, the study option, the device check and the engine inside the GP sampler.</summary>
public class TorchEngineTests
{
    static TorchEngineTests()
    {
        GpSampler.Register();
        TorchEngine.Register();
    }

    private static StudyDefinition Study(string algorithm) => StudyDefinitionJson.Parse($$$"""
        {"name": "s", "parameters": [{"name": "x", "type": "double", "bounds": {"min": -5, "max": 10}},
                                     {"name": "y", "type": "double", "bounds": {"min": 0, "max": 15}}],
         "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": 30, "algorithm": {{{algorithm}}} }
        """);

    [Fact]
    public void A_registered_torch_engine_reaches_the_sampler_options_on_the_cpu()
    {
        var options = GpSampler.OptionsFor(Study("""{"name": "gp", "engine": "torch", "device": "cpu"}"""));
        Assert.Equal("torch (cpu)", options.Engine!.Name);
        Assert.Equal("torch (cpu)", GpSampler.OptionsFor(Study("""{"name": "gp", "engine": "torch"}""")).Engine!.Name);
        TorchEngine.Register(); // again is harmless
    }

    [Fact]
    public void Cuda_without_a_cuda_libtorch_is_refused_with_what_to_install()
    {
        Assert.SkipWhen(torch.cuda.is_available(), "this libtorch has CUDA");
        var e = Assert.Throws<DefinitionException>(() => GpSampler.OptionsFor(Study("""{"name": "gp", "engine": "torch", "device": "cuda"}""")));
        Assert.Equal("algorithm.engine", e.Path);
        Assert.Contains("libtorch-cuda-12.8-linux-x64", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sampler_on_torch_suggests_what_it_suggests_on_the_managed_engine()
    {
        // The same study on both engines: the factor and the candidates' posterior differ by rounding only, which the
        // gradient refinement of the best candidates carries to about 10⁻⁶ of the range (a 15 wide here).
        var onTorch = Run("""{"name": "gp", "seed": 3, "engine": "torch"}""");
        var onManaged = Run("""{"name": "gp", "seed": 3, "engine": "managed"}""");
        Assert.Equal(onManaged.Count, onTorch.Count);
        for (var i = 0; i < onManaged.Count; i++)
        {
            Assert.Equal(onManaged[i].X, onTorch[i].X, 4);
            Assert.Equal(onManaged[i].Y, onTorch[i].Y, 4);
        }
    }

    private static List<(double X, double Y)> Run(string algorithm)
    {
        var tuner = new Tuner(Study(algorithm));
        var points = new List<(double X, double Y)>();
        for (var i = 0; i < 16; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            var (x, y) = (trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            var b = 5.1 / (4 * Math.PI * Math.PI);
            var value = Math.Pow(y - (b * x * x) + (5 / Math.PI * x) - 6, 2) + (10 * (1 - (1 / (8 * Math.PI))) * Math.Cos(x)) + 10;
            tuner.Observe(trial.Id, value);
            points.Add((x, y));
        }

        return points;
    }
}
