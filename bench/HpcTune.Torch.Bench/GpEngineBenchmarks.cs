using BenchmarkDotNet.Attributes;
using HpcTune.Gp.Engines;
using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Torch.Bench;

/// <summary>
/// One GP step as the sampler takes it: fit n observations (kernel matrix, Cholesky factor, weights) and score a batch
/// of 512 candidates (posterior mean and variance), d = 10, on the native engine (libhpctune_la, the baseline) and on
/// torch (CPU here; a CUDA libtorch runs the same code on the GPU).
/// </summary>
[MemoryDiagnoser]
public class GpEngineBenchmarks
{
    private const int Dimension = 10;
    private const int Candidates = 512;
    private double[] _x = [];
    private double[] _y = [];
    private double[] _points = [];
    private readonly double[] _mean = new double[Candidates];
    private readonly double[] _variance = new double[Candidates];
    private readonly double[] _theta = [.. Enumerable.Repeat(Math.Log(0.5), Dimension), 0, Math.Log(1e-3)];
    private IGpEngine _native = null!;
    private IGpEngine _torch = null!;

    /// <summary>Observations.</summary>
    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    /// <summary>Data and both engines (the native one must load).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(N);
        _x = [.. Enumerable.Range(0, N * Dimension).Select(_ => random.NextDouble())];
        _y = [.. Enumerable.Range(0, N).Select(i => Math.Sin(6 * _x[i * Dimension]) + _x[(i * Dimension) + 1])];
        _points = [.. Enumerable.Range(0, Candidates * Dimension).Select(_ => random.NextDouble())];
        var native = NativeLinearAlgebra.TryCreate(out var reason) ?? throw new InvalidOperationException(reason);
        native.SetThreads(Environment.ProcessorCount);
        _native = new HostGpEngine(native);
        _torch = TorchEngineProvider.Instance.Create("cpu");
    }

    /// <summary>The native engine.</summary>
    [Benchmark(Baseline = true)]
    public double Native() => FitAndScore(_native);

    /// <summary>The torch engine on the CPU.</summary>
    [Benchmark]
    public double Torch() => FitAndScore(_torch);

    private double FitAndScore(IGpEngine engine)
    {
        using var fitted = engine.Fit(_x, _y, Dimension, _theta);
        fitted.Predict(_points, Candidates, _mean, _variance, []);
        return _mean[0] + _variance[^1];
    }
}
