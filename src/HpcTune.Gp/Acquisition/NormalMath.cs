using System.Numerics;
using MathNet.Numerics;

namespace HpcTune.Gp.Acquisition;

/// <summary>
/// Standard-normal quantities in log space, stable far into the tails (Ament et al. 2023, "Unexpected
/// Improvements to Expected Improvement"): log h(z) with h(z) = φ(z) + zΦ(z), the expected improvement of a
/// unit-variance Gaussian, and log Φ(z).
/// </summary>
internal static class NormalMath
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly double Sqrt2 = Math.Sqrt(2);
    private static readonly double SqrtHalfPi = Math.Sqrt(Math.PI / 2);
    private static readonly double InverseSqrtEpsilon = 1 / Math.Sqrt(Math.Pow(2, -52)); // 1/√ε, where the asymptotic form is exact

    /// <summary>exp(x²) erfc(x), without overflow for large x.</summary>
    public static double Erfcx(double x)
    {
        if (x < 25)
        {
            return Math.Exp(x * x) * SpecialFunctions.Erfc(x);
        }

        // Asymptotic series 1/(x√π) Σ (−1)^k (2k−1)!! / (2x²)^k; at x ≥ 25 six terms are exact to ~1e-16.
        var inverse2x2 = 1 / (2 * x * x);
        double sum = 1, term = 1;
        for (var k = 1; k <= 6; k++)
        {
            term *= -(2 * k - 1) * inverse2x2;
            sum += term;
        }

        return sum / (x * Math.Sqrt(Math.PI));
    }

    /// <summary>log Φ(z).</summary>
    public static double LogCdf(double z) =>
        z > -1 ? Math.Log(0.5 * SpecialFunctions.Erfc(-z / Sqrt2)) : Math.Log(0.5 * Erfcx(-z / Sqrt2)) - (0.5 * z * z);

    /// <summary>log φ(z).</summary>
    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrt2Pi;

    /// <summary>log h(z) = log(φ(z) + zΦ(z)).</summary>
    public static double LogH(double z)
    {
        if (z > -1)
        {
            var cdf = 0.5 * SpecialFunctions.Erfc(-z / Sqrt2);
            return Math.Log(Math.Exp(LogPdf(z)) + (z * cdf));
        }

        if (z > -InverseSqrtEpsilon)
        {
            // h(z) = φ(z) (1 + √(π/2) z erfcx(−z/√2)); the bracket is 1 − exp(log(−√(π/2) z erfcx(−z/√2))).
            var logMinusT = Math.Log(-z * SqrtHalfPi) + Math.Log(Erfcx(-z / Sqrt2));
            return LogPdf(z) + Log1MinusExp(logMinusT);
        }

        // h(z) ≈ φ(z) / z² for z → −∞.
        return LogPdf(z) - (2 * Math.Log(-z));
    }

    /// <summary>
    /// log h(z) at every element of <paramref name="z"/>, into <paramref name="destination"/> (which may be
    /// <paramref name="z"/>): the same function as <see cref="LogH(double)"/> to 1e-13 relative (a test checks), several times faster.
    /// </summary>
    /// <remarks>
    /// h(z) = max(z, 0) + φ(z)(1 − g(|z|)) with g(w) = √(π/2) w erfcx(w/√2), from h(z) = z + h(−z); erfcx comes
    /// from one Chebyshev series (<see cref="ErfcxChebyshev"/>), and from |z| = 30 on 1 − g from its asymptotic
    /// series, which there is exact while 1 − g ≈ 1/z² would have lost 3 digits to cancellation.
    /// </remarks>
    public static void LogH(ReadOnlySpan<double> z, Span<double> destination)
    {
        if (destination.Length < z.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} values, not the {z.Length} of z", nameof(destination));
        }

        var width = Vector<double>.Count;
        var i = 0;
        for (; i <= z.Length - width; i += width)
        {
            LogH(new Vector<double>(z.Slice(i, width))).CopyTo(destination.Slice(i, width));
        }

        if (i < z.Length)
        {
            // The ragged end goes through the same lanes, so a value does not depend on where in the span it sits.
            Span<double> last = stackalloc double[width];
            z[i..].CopyTo(last);
            LogH(new Vector<double>(last)).CopyTo(last);
            last[..(z.Length - i)].CopyTo(destination[i..]);
        }
    }

    private static Vector<double> LogH(Vector<double> z)
    {
        var w = Vector.Abs(z);
        var g = new Vector<double>(SqrtHalfPi) * w * ErfcxChebyshev.Evaluate(w * new Vector<double>(1 / Sqrt2));
        // 1 − g = 1/w² − 3/w⁴ + 15/w⁶ − …, (2k − 1)!! / w^2k with alternating signs.
        var inverseSquare = Vector<double>.One / (w * w);
        var series = Vector<double>.Zero;
        for (var k = OddDoubleFactorials.Length - 1; k >= 0; k--)
        {
            series = inverseSquare * (new Vector<double>(OddDoubleFactorials[k]) - series);
        }

        var oneMinusG = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(w, new Vector<double>(AsymptoticFrom)), series, Vector<double>.One - g);
        var logTail = (new Vector<double>(-0.5) * z * z) - new Vector<double>(LogSqrt2Pi) + Vector.Log(oneMinusG); // log(φ(z)(1 − g))
        // Only lanes with z > 0 use exp(logTail), and there anything below e⁻⁷⁰⁰ vanishes beside z; the floor keeps the
        // vector exp off its scalar path, which one lane past about −709 sends the whole vector down.
        var positive = Vector.Log(Vector.Max(z, Vector<double>.Zero) + Vector.Exp(Vector.Max(logTail, new Vector<double>(-700))));
        return Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), positive, logTail);
    }

    private static readonly double[] OddDoubleFactorials = [1, 3, 15, 105, 945, 10395, 135135, 2027025]; // (2k − 1)!!
    private const double AsymptoticFrom = 30; // the 9th term is 4e-15 of the sum there

    /// <summary>log(1 − eˣ) for x &lt; 0, accurate near 0 and far below it.</summary>
    public static double Log1MinusExp(double x) => x > -Math.Log(2) ? Math.Log(-ExpM1(x)) : Log1P(-Math.Exp(x));

    /// <summary>eˣ − 1 without cancellation (Kahan's trick; .NET's double.ExpM1 is computed as Exp(x) − 1).</summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x) without cancellation (Kahan's trick).</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>
    /// log EI for a Gaussian with mean <paramref name="mean"/> and standard deviation <paramref name="sd"/> over
    /// <paramref name="best"/> (maximization), and ∂/∂mean, ∂/∂sd.
    /// </summary>
    public static double LogExpectedImprovement(double mean, double sd, double best, out double dMean, out double dSd)
    {
        var z = (mean - best) / sd;
        var logH = LogH(z);
        // ∂EI/∂μ = Φ(z), ∂EI/∂σ = φ(z); divided by EI = σ h(z).
        dMean = Math.Exp(LogCdf(z) - logH) / sd;
        dSd = Math.Exp(LogPdf(z) - logH) / sd;
        return Math.Log(sd) + logH;
    }

    /// <summary>A standard normal draw (Box–Muller, one of the pair).</summary>
    internal static double Sample(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
