using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Bench;

/// <summary>
/// Cholesky of an n×n SPD matrix through the managed provider, the native provider, and — the baseline — a direct
/// P/Invoke of OpenBLAS's dpotrf_ (column-major, no HpcTune layer in between).
/// </summary>
[MemoryDiagnoser]
public unsafe partial class CholeskyBenchmarks
{
    private double[] _source = [];
    private double[] _work = [];
    private NativeLinearAlgebra _native = null!;

    /// <summary>Matrix order.</summary>
    [Params(256, 1024, 2048, 4096)]
    public int N { get; set; }

    /// <summary>A random SPD matrix and the native provider (which must load).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(N);
        var b = new double[N * N];
        for (var i = 0; i < b.Length; i++)
        {
            b[i] = random.NextDouble() - 0.5;
        }

        _source = new double[N * N];
        var native = NativeLinearAlgebra.TryCreate(out var reason) ?? throw new InvalidOperationException(reason);
        native.Gemm(N, N, N, 1.0, b, N, Transpose(b), N, 0.0, _source, N);
        for (var i = 0; i < N; i++)
        {
            _source[(i * N) + i] += N;
        }

        _work = new double[N * N];
        _native = native;
        _native.SetThreads(Environment.ProcessorCount);
    }

    /// <summary>Fresh copy of the matrix before each run (not timed).</summary>
    [IterationSetup]
    public void Copy() => _source.CopyTo(_work, 0);

    /// <summary>OpenBLAS dpotrf_ called directly.</summary>
    [Benchmark(Baseline = true)]
    public int DirectDpotrf()
    {
        int n = N, info = 0;
        fixed (double* a = _work)
        {
            Dpotrf("U", ref n, a, ref n, ref info);
        }

        return info;
    }

    /// <summary>Through libhpctune_la and the C# provider.</summary>
    [Benchmark]
    public void NativeProvider() => _native.Cholesky(_work, N, N);

    /// <summary>The managed provider.</summary>
    [Benchmark]
    public void ManagedProvider() => ManagedLinearAlgebra.Instance.Cholesky(_work, N, N);

    [LibraryImport("libopenblas.so.0", EntryPoint = "dpotrf_", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void Dpotrf(string uplo, ref int n, double* a, ref int lda, ref int info);

    private double[] Transpose(double[] m)
    {
        var t = new double[m.Length];
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < N; j++)
            {
                t[(j * N) + i] = m[(i * N) + j];
            }
        }

        return t;
    }
}
