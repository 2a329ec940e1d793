using TorchSharp;
using static TorchSharp.torch;

namespace HpcTune.Torch;

/// <summary>The Matérn-5/2 kernel on tensors, as <c>HpcTune.Gp.Kernels.Matern52</c> computes it on spans.</summary>
internal static class TorchKernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5.0);

    /// <summary>
    /// r²[i, j] = Σ_d (a[i, d] − b[j, d])² for scaled points a (n×D) and b (m×D), summed a feature at a time as the host
    /// does (no ‖a‖² + ‖b‖² − 2ab cancellation, so r² of a point with itself is exactly 0).
    /// </summary>
    public static Tensor SquaredDistances(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var dimension = a.shape[1];
        var r2 = zeros(a.shape[0], b.shape[0], dtype: ScalarType.Float64, device: a.device);
        for (long d = 0; d < dimension; d++)
        {
            var difference = a.select(1, d).unsqueeze(1) - b.select(1, d).unsqueeze(0);
            r2 = r2 + difference.square();
        }

        return r2.MoveToOuterDisposeScope();
    }

    /// <summary>k = σ² (1 + √5 r + 5r²/3) e^(−√5 r) of r²; differentiable everywhere, r² = 0 included.</summary>
    public static Tensor Matern52(Tensor squaredDistance, Tensor variance)
    {
        using var scope = NewDisposeScope();
        // √ of a floor instead of r² itself: the gradient of √ is infinite at 0, where k's own gradient is 0.
        var r = squaredDistance.clamp_min(1e-300).sqrt();
        var k = variance * (1 + (Sqrt5 * r) + (5.0 / 3.0 * squaredDistance)) * (-Sqrt5 * r).exp();
        return k.MoveToOuterDisposeScope();
    }
}
