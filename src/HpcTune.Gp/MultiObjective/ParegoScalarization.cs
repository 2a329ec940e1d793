using HpcTune.Sampling;

namespace HpcTune.Gp.MultiObjective;

/// <summary>
/// ParEGO's augmented Chebyshev scalarization (Knowles 2006): with the objectives (minimized) normalized to [0, 1] by
/// the range observed, s(u) = max_j λ_j u_j + ρ Σ_j λ_j u_j, for weights λ drawn uniformly from the simplex anew for each
/// suggestion. Minimizing s for every λ reaches every point of the front, convex or not; ρ keeps weakly dominated
/// points from tying with the ones that dominate them.
/// </summary>
internal sealed class ParegoScalarization
{
    /// <summary>ρ, Knowles's value.</summary>
    public const double Augmentation = 0.05;

    private readonly double[] _weights;
    private readonly double[] _low;
    private readonly double[] _range;

    /// <summary>Weights from <paramref name="seed"/>; normalization by the ranges of <paramref name="observed"/> (rows of minimized objectives).</summary>
    public ParegoScalarization(IReadOnlyList<double[]> observed, long seed)
    {
        var k = observed[0].Length;
        _weights = Weights(k, seed);
        _low = new double[k];
        _range = new double[k];
        for (var j = 0; j < k; j++)
        {
            _low[j] = observed.Min(u => u[j]);
            var range = observed.Max(u => u[j]) - _low[j];
            _range[j] = range > 0 ? range : 1;
        }
    }

    /// <summary>The weights λ.</summary>
    public IReadOnlyList<double> Weight => _weights;

    /// <summary>s(u) for minimized objectives <paramref name="u"/>.</summary>
    public double Value(ReadOnlySpan<double> u)
    {
        var max = double.NegativeInfinity;
        var sum = 0.0;
        for (var j = 0; j < _weights.Length; j++)
        {
            var term = _weights[j] * (u[j] - _low[j]) / _range[j];
            max = Math.Max(max, term);
            sum += term;
        }

        return max + (Augmentation * sum);
    }

    /// <summary>Weights uniform on the simplex (normalized exponential draws) from <paramref name="seed"/>.</summary>
    internal static double[] Weights(int k, long seed)
    {
        var random = new Random(unchecked((int)SplitMix64.Derive(seed, 0x5041_5245)));
        var weights = new double[k];
        for (var j = 0; j < k; j++)
        {
            weights[j] = -Math.Log(1 - random.NextDouble());
        }

        var total = weights.Sum();
        for (var j = 0; j < k; j++)
        {
            weights[j] /= total;
        }

        return weights;
    }
}
