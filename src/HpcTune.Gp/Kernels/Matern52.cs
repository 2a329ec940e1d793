using System.Numerics.Tensors;

namespace HpcTune.Gp.Kernels;

/// <summary>
/// The Matérn-5/2 kernel as a function of the squared scaled distance r² = Σ_d ((x_d − x'_d)/ℓ_d)²:
/// k = σ² (1 + √5 r + 5r²/3) e^(−√5 r). Its derivative factor g = σ² (5/3)(1 + √5 r) e^(−√5 r) gives
/// ∂k/∂log ℓ_d = g · δ_d²/ℓ_d² and ∂k/∂x_d = −g · δ_d/ℓ_d² without a singularity at r = 0.
/// Every operation runs over spans with <see cref="TensorPrimitives"/>.
/// </summary>
internal static class Matern52
{
    private static readonly double Sqrt5 = Math.Sqrt(5.0);

    /// <summary>
    /// k for each r² in <paramref name="squaredDistance"/>; <paramref name="destination"/> may be the same span.
    /// <paramref name="scratch"/> has at least the same length.
    /// </summary>
    public static void Value(ReadOnlySpan<double> squaredDistance, double variance, Span<double> destination, Span<double> scratch)
    {
        var n = squaredDistance.Length;
        Check(n, destination.Length, scratch.Length);
        var e = scratch[..n];
        var k = destination[..n];
        TensorPrimitives.Sqrt(squaredDistance, e);                        // r
        TensorPrimitives.Multiply(squaredDistance, 5.0 / 3.0, k);        // 5r²/3 (k may alias r²: element-wise)
        TensorPrimitives.MultiplyAdd(e, Sqrt5, k, k);                     // √5 r + 5r²/3
        TensorPrimitives.Add(k, 1.0, k);                                  // 1 + √5 r + 5r²/3
        TensorPrimitives.Multiply(e, -Sqrt5, e);
        TensorPrimitives.Exp(e, e);                                       // e^(−√5 r)
        TensorPrimitives.Multiply(k, e, k);
        TensorPrimitives.Multiply(k, variance, k);
    }

    /// <summary>k and the derivative factor g for each r²; <paramref name="value"/> may be the same span as the input.</summary>
    public static void ValueAndGradientFactor(ReadOnlySpan<double> squaredDistance, double variance, Span<double> value, Span<double> factor, Span<double> scratch)
    {
        var n = squaredDistance.Length;
        Check(n, value.Length, factor.Length);
        Check(n, scratch.Length, scratch.Length);
        var k = value[..n];
        var g = factor[..n];
        var e = scratch[..n];
        TensorPrimitives.Sqrt(squaredDistance, g);                        // r
        TensorPrimitives.Multiply(g, -Sqrt5, e);
        TensorPrimitives.Exp(e, e);                                       // e^(−√5 r)
        TensorPrimitives.Multiply(g, Sqrt5, g);
        TensorPrimitives.Add(g, 1.0, g);                                  // 1 + √5 r
        TensorPrimitives.MultiplyAdd(squaredDistance, 5.0 / 3.0, g, k);  // 1 + √5 r + 5r²/3
        TensorPrimitives.Multiply(k, e, k);
        TensorPrimitives.Multiply(k, variance, k);
        TensorPrimitives.Multiply(g, e, g);
        TensorPrimitives.Multiply(g, variance * 5.0 / 3.0, g);
    }

    /// <summary>The scalar value, for tests and single points.</summary>
    public static double Value(double squaredDistance, double variance)
    {
        var r = Math.Sqrt(squaredDistance);
        return variance * (1 + (Sqrt5 * r) + (5.0 / 3.0 * squaredDistance)) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>The scalar derivative factor g.</summary>
    public static double GradientFactor(double squaredDistance, double variance)
    {
        var r = Math.Sqrt(squaredDistance);
        return variance * (5.0 / 3.0) * (1 + (Sqrt5 * r)) * Math.Exp(-Sqrt5 * r);
    }

    private static void Check(int n, int a, int b)
    {
        if (a < n || b < n)
        {
            throw new ArgumentException($"destination spans need {n} elements, got {a} and {b}");
        }
    }
}
