using System.Numerics;
using MathNet.Numerics;

namespace HpcTune.Gp.Acquisition;

/// <summary>
/// erfcx(x) = exp(x²) erfc(x) for x ≥ 0, four or eight at a time: (1 + 2x) erfcx(x) is smooth in t = (x − K)/(x + K)
/// over the whole half line (Shepherd and Laframboise 1981), so one Chebyshev series in t covers it. The coefficients
/// are fitted here when the type loads, from a reference that is accurate to a few ulps.
/// </summary>
/// <remarks>
/// Why not MathNet's erfc per element: the integrated acquisition evaluates log h at every draw of every candidate,
/// and the scalar erfc behind it was most of that time.
/// </remarks>
internal static class ErfcxChebyshev
{
    private const double K = 3.75; // the mapping's centre: fewest terms for 1e-16 among 2–4.5
    private const int Nodes = 64;
    private const int Terms = 30; // the coefficients fall below 2e-16 from the 27th on

    private static readonly double[] Coefficients = Fit();

    /// <summary>erfcx at each lane of <paramref name="x"/> (x ≥ 0; +∞ gives NaN, which callers select away).</summary>
    public static Vector<double> Evaluate(Vector<double> x)
    {
        var k = new Vector<double>(K);
        var t = (x - k) / (x + k);
        var twoT = t + t;
        var next = Vector<double>.Zero; // Clenshaw: b_n = c_n + 2t b_{n+1} − b_{n+2}
        var afterNext = Vector<double>.Zero;
        for (var n = Terms - 1; n >= 1; n--)
        {
            var current = Vector.FusedMultiplyAdd(twoT, next, new Vector<double>(Coefficients[n]) - afterNext);
            afterNext = next;
            next = current;
        }

        var scaled = Vector.FusedMultiplyAdd(t, next, new Vector<double>(Coefficients[0]) - afterNext);
        return scaled / (Vector<double>.One + x + x);
    }

    /// <summary>erfcx at one point, the same series (for tests).</summary>
    public static double Evaluate(double x) => Evaluate(new Vector<double>(x))[0];

    private static double[] Fit()
    {
        var values = new double[Nodes];
        for (var k = 0; k < Nodes; k++)
        {
            var t = Math.Cos(Math.PI * (k + 0.5) / Nodes);
            var x = K * (1 + t) / (1 - t);
            values[k] = (1 + (2 * x)) * Reference(x);
        }

        var coefficients = new double[Terms];
        for (var n = 0; n < Terms; n++)
        {
            var sum = 0.0;
            for (var k = 0; k < Nodes; k++)
            {
                sum += values[k] * Math.Cos(Math.PI * n * (k + 0.5) / Nodes);
            }

            coefficients[n] = (n == 0 ? 1.0 : 2.0) * sum / Nodes;
        }

        return coefficients;
    }

    /// <summary>
    /// erfcx to a few ulps: exp(x²) erfc(x) below 2, where x²'s rounding costs little; above, the continued fraction
    /// 1/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), which 80 terms take to full precision from x = 2 on.
    /// </summary>
    internal static double Reference(double x)
    {
        if (x < 2)
        {
            return Math.Exp(x * x) * SpecialFunctions.Erfc(x);
        }

        var tail = x;
        for (var k = 80; k >= 1; k--)
        {
            tail = x + (k / 2.0 / tail);
        }

        return 1 / (Math.Sqrt(Math.PI) * tail);
    }
}
