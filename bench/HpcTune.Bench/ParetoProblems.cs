namespace HpcTune.Bench;

/// <summary>
/// A minimization problem with two objectives over [0, 1]^d, and the reference point its hypervolume is measured from;
/// with <paramref name="Constraints"/>, a point is feasible where every constraint value is at most 0.
/// </summary>
internal sealed record ParetoProblem(string Name, int Dimension, double[] Reference, Func<double[], double[]> Evaluate, Func<double[], double[]>? Constraints = null);

/// <summary>The shared problems of issue 27 (the same definitions as the peers' runs).</summary>
internal static class ParetoProblems
{
    public static ParetoProblem Get(string name) => name switch
    {
        "zdt1" => new("zdt1", 6, [11, 11], Zdt1),
        "dtlz2" => new("dtlz2", 6, [1.1, 1.1], Dtlz2),
        "branin-currin" => new("branin-currin", 2, [18, 6], BraninCurrin),
        "constr-ex" => new("constr-ex", 2, [1.1, 10], ConstrEx, ConstrExConstraints),
        _ => throw new ArgumentException($"unknown problem '{name}'; expected zdt1, dtlz2, branin-currin or constr-ex"),
    };

    /// <summary>ZDT1: f1 = x1, f2 = g (1 − √(f1/g)), g = 1 + 9 mean(x2..x6).</summary>
    private static double[] Zdt1(double[] x)
    {
        var g = 1 + (9 * x.Skip(1).Average());
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    }

    /// <summary>DTLZ2 with two objectives: g = Σ_{i≥2} (x_i − ½)², f = (1 + g)(cos(x1 π/2), sin(x1 π/2)).</summary>
    private static double[] Dtlz2(double[] x)
    {
        var g = x.Skip(1).Sum(v => (v - 0.5) * (v - 0.5));
        return [(1 + g) * Math.Cos(x[0] * Math.PI / 2), (1 + g) * Math.Sin(x[0] * Math.PI / 2)];
    }

    /// <summary>BoTorch's BraninCurrin: Branin at (15 x1 − 5, 15 x2) and Currin's exponential at x.</summary>
    private static double[] BraninCurrin(double[] x)
    {
        var (a, b) = ((15 * x[0]) - 5, 15 * x[1]);
        var branin = Math.Pow(b - (5.1 / (4 * Math.PI * Math.PI) * a * a) + (5 / Math.PI * a) - 6, 2) + (10 * (1 - (1 / (8 * Math.PI))) * Math.Cos(a)) + 10;
        var (u, v) = (x[0], x[1]);
        var currin = (1 - Math.Exp(-1 / (2 * v))) * ((2300 * u * u * u) + (1900 * u * u) + (2092 * u) + 60) / ((100 * u * u * u) + (500 * u * u) + (4 * u) + 20);
        return [branin, currin];
    }

    /// <summary>Deb's CONSTR (constr-ex): x1 = 0.1 + 0.9 u1, x2 = 5 u2; f1 = x1, f2 = (1 + x2) / x1.</summary>
    private static double[] ConstrEx(double[] u)
    {
        var (x1, x2) = (0.1 + (0.9 * u[0]), 5 * u[1]);
        return [x1, (1 + x2) / x1];
    }

    /// <summary>CONSTR's constraints as values at most 0: x2 + 9 x1 ≥ 6 and 9 x1 − x2 ≥ 1.</summary>
    private static double[] ConstrExConstraints(double[] u)
    {
        var (x1, x2) = (0.1 + (0.9 * u[0]), 5 * u[1]);
        return [6 - (x2 + (9 * x1)), 1 - ((9 * x1) - x2)];
    }
}
