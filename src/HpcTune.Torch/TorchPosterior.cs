using System.Runtime.InteropServices;
using HpcTune.Gp.Engines;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcTune.Torch;

/// <summary>A GP fitted by <see cref="TorchGpEngine"/>; its tensors stay on the engine's device until disposed.</summary>
internal sealed class TorchPosterior : IGpPosterior
{
    private const double MinVarianceFraction = 1e-12;
    private readonly Tensor _z;        // n × D, points / ℓ
    private readonly Tensor _factor;   // n × n, lower L
    private readonly Tensor _alpha;    // n × 1
    private readonly Tensor _scale;    // 1 × D, 1 / ℓ
    private readonly Tensor _variance; // σ² as a scalar tensor

    public TorchPosterior(Tensor z, Tensor factor, Tensor alpha, Tensor scale, double variance, double jitter)
    {
        _z = z;
        _factor = factor;
        _alpha = alpha;
        _scale = scale;
        _variance = tensor(variance, ScalarType.Float64, z.device);
        Jitter = jitter;
        Count = (int)z.shape[0];
        Dimension = (int)z.shape[1];
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public double Jitter { get; }

    /// <summary>Moves this posterior's tensors out of <paramref name="scope"/>, so that they outlive it.</summary>
    public TorchPosterior MoveToOuter(DisposeScope scope)
    {
        scope.MoveToOuter(_z, _factor, _alpha, _scale, _variance);
        return this;
    }

    /// <inheritdoc/>
    public void CopyFactor(Span<double> destination, int stride)
    {
        var n = Count;
        var factor = Host(_factor);
        for (var i = 0; i < n; i++)
        {
            factor.AsSpan(i * n, i + 1).CopyTo(destination.Slice(i * stride, i + 1));
        }
    }

    /// <inheritdoc/>
    public void CopyWeights(Span<double> destination) => Host(_alpha).CopyTo(destination);

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> points, int m, Span<double> mean, Span<double> variance, Span<double> solved)
    {
        HostGpEngine.CheckBatch(points.Length, m, Dimension, mean.Length, variance.Length);
        if (!solved.IsEmpty && solved.Length < Count * m)
        {
            throw new ArgumentException($"solved needs {Count}×{m} values, got {solved.Length}", nameof(solved));
        }

        using var scope = NewDisposeScope();
        var scaled = tensor(points.ToArray(), [m, Dimension], ScalarType.Float64, _z.device) * _scale;
        var cross = TorchKernel.Matern52(TorchKernel.SquaredDistances(_z, scaled), _variance); // n × m
        var meanT = cross.t().matmul(_alpha);
        var v = linalg.solve_triangular(_factor, cross, upper: false);
        var varianceT = maximum(_variance - v.square().sum(0L), _variance * MinVarianceFraction); // 0L: a plain 0 binds to sum(ScalarType)
        Host(meanT).CopyTo(mean);
        Host(varianceT).CopyTo(variance);
        if (!solved.IsEmpty)
        {
            Host(v).CopyTo(solved);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _z.Dispose();
        _factor.Dispose();
        _alpha.Dispose();
        _scale.Dispose();
        _variance.Dispose();
    }

    internal static double[] Host(Tensor t)
    {
        using var host = t.cpu().contiguous();
        if (host.dtype != ScalarType.Float64)
        {
            throw new InvalidOperationException($"a result of the torch engine came out as {host.dtype}; the engine computes in float64");
        }

        return MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
    }
}
