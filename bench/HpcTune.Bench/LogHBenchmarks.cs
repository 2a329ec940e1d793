using BenchmarkDotNet.Attributes;
using HpcTune.Gp.Acquisition;

namespace HpcTune.Bench;

/// <summary>
/// log h over one integrated-acquisition score's worth of terms (512 candidates × 32 draws), spread as an 8-open run
/// spreads them: scalar per element (the baseline) against the SIMD batch.
/// </summary>
public class LogHBenchmarks
{
    private double[] _z = [];
    private double[] _result = [];

    /// <summary>Standardized improvements from a wide normal centred in the tail, where most candidates' draws fall (some far past −37, where φ underflows).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _z = [.. Enumerable.Range(0, 512 * 32).Select(_ => -3 + (10 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
        _result = new double[_z.Length];
    }

    /// <summary>One scalar log h per element.</summary>
    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        for (var i = 0; i < _z.Length; i++)
        {
            _result[i] = NormalMath.LogH(_z[i]);
        }
    }

    /// <summary>The batch.</summary>
    [Benchmark]
    public void Batch() => NormalMath.LogH(_z, _result);
}
