namespace HpcTune.Gp.Acquisition;

/// <summary>Per-feature bounds inside the unit box that the acquisition is maximized over.</summary>
/// <param name="Lower">Lower bound of each feature.</param>
/// <param name="Upper">Upper bound of each feature.</param>
internal sealed record SearchBox(double[] Lower, double[] Upper)
{
    /// <summary>
    /// In a conditional space, the features of the point the box was laid around: it bounds only the candidates whose
    /// switches take the same values (its branch); those of another branch search the whole unit box. Null: every candidate.
    /// </summary>
    public double[]? Centre { get; init; }

    /// <summary>The whole unit box in <paramref name="dimension"/> features.</summary>
    public static SearchBox Unit(int dimension) => new(new double[dimension], [.. Enumerable.Repeat(1.0, dimension)]);

    /// <summary>Whether <paramref name="point"/> lies inside the box, bounds included.</summary>
    public bool Contains(ReadOnlySpan<double> point)
    {
        for (var f = 0; f < point.Length; f++)
        {
            if (point[f] < Lower[f] || point[f] > Upper[f])
            {
                return false;
            }
        }

        return true;
    }
}
