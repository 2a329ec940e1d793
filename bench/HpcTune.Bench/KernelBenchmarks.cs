using BenchmarkDotNet.Attributes;
using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Kernels;
using HpcTune.Gp.LinearAlgebra;
using HpcTune.Gp.Model;

namespace HpcTune.Bench;

/// <summary>The GP's hot kernels; each [Benchmark] with Baseline = true is the plain scalar loop it replaces.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private double[] _x = [];
    private double[] _matrix = [];
    private double[] _factor = [];
    private double[] _squared = [];
    private double[] _values = [];
    private double[] _scratch = [];
    private double[] _candidatesT = [];
    private double[] _mean = [];
    private double[] _variance = [];
    private GaussianProcess _gp = null!;
    private const int Dimension = 10, Candidates = 256;

    /// <summary>Observations.</summary>
    [Params(256, 1024)]
    public int N { get; set; }

    /// <summary>Builds random data, a factor and a fitted-looking GP.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _x = [.. Enumerable.Range(0, N * Dimension).Select(_ => random.NextDouble())];
        _squared = [.. Enumerable.Range(0, N).Select(_ => random.NextDouble() * 4)];
        _values = new double[N];
        _scratch = new double[N];
        _matrix = new double[N * N];
        var hyperparameters = new GpHyperparameters([.. Enumerable.Repeat(-0.5, Dimension), 0, -9]);
        _gp = new GaussianProcess(hyperparameters);
        _gp.SetData(_x, [.. Enumerable.Range(0, N).Select(_ => random.NextDouble())]);
        _factor = new double[N * N];
        _candidatesT = [.. Enumerable.Range(0, Candidates * Dimension).Select(_ => random.NextDouble())];
        _mean = new double[Candidates];
        _variance = new double[Candidates];
    }

    /// <summary>Matérn-5/2 over one row of squared distances, scalar.</summary>
    [Benchmark(Baseline = true)]
    public void KernelRowScalar()
    {
        for (var i = 0; i < _squared.Length; i++)
        {
            _values[i] = Matern52.Value(_squared[i], 1.3);
        }
    }

    /// <summary>The same row through TensorPrimitives.</summary>
    [Benchmark]
    public void KernelRowSimd() => Matern52.Value(_squared, 1.3, _values, _scratch);

    /// <summary>The full kernel matrix + noise and its Cholesky factor (what a refit's likelihood costs).</summary>
    [Benchmark]
    public double KernelMatrixAndCholesky()
    {
        var likelihood = new MarginalLikelihood(_x, new double[N], Dimension);
        return likelihood.Evaluate([.. Enumerable.Repeat(-0.5, Dimension), 0, -9], new double[Dimension + 2]);
    }

    /// <summary>Managed Cholesky of an N×N SPD matrix.</summary>
    [Benchmark]
    public void CholeskyManaged()
    {
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                _factor[(i * N) + j] = (i == j ? N : 0) + (1.0 / (1 + i + j));
            }
        }

        ManagedLinearAlgebra.Instance.Cholesky(_factor, N, N);
    }

    /// <summary>Posterior mean and variance at 256 candidates.</summary>
    [Benchmark]
    public void PosteriorBatch() => _gp.Predict(_candidatesT, Candidates, _mean, _variance);

    /// <summary>log-EI of the 256 posteriors.</summary>
    [Benchmark]
    public double LogEiBatch()
    {
        var sum = 0.0;
        for (var j = 0; j < Candidates; j++)
        {
            sum += NormalMath.LogExpectedImprovement(_mean[j] - 3, Math.Sqrt(_variance[j] + 1e-3), 0.5, out _, out _);
        }

        return sum;
    }

    /// <summary>One rank-1 extension (a fantasy) and its removal.</summary>
    [Benchmark]
    public void RankOneExtension()
    {
        _gp.AddFantasy(_x.AsSpan(0, Dimension).ToArray().Select(v => v * 0.9).ToArray());
        _gp.ClearFantasies();
    }
}
