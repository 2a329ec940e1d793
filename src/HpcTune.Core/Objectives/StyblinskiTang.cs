namespace HpcTune.Objectives;

/// <summary>
/// The Styblinski–Tang function in any dimension on [-5, 5]^d: separable, each coordinate a quartic with a shallow
/// basin near 2.75 and a deep one at −2.9035 (2^d local minima); minimum −39.166… · d there (docs/gp-rugged.md).
/// </summary>
public sealed class StyblinskiTang : TestFunction
{
    /// <summary>The minimizing coordinate, the root of 4x³ − 32x + 5 in [−5, 0].</summary>
    public const double MinimizingCoordinate = -2.903534027771177;

    /// <summary>The minimum of one coordinate's term.</summary>
    public const double MinimumPerCoordinate = -39.16616570377141;

    /// <summary>Styblinski–Tang in <paramref name="dimension"/> inputs.</summary>
    public StyblinskiTang(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Minimizer = [.. Enumerable.Repeat(MinimizingCoordinate, dimension)];
    }

    /// <inheritdoc/>
    public override string Name => $"styblinskitang{Dimension}";

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override double LowerBound(int i) => -5;

    /// <inheritdoc/>
    public override double UpperBound(int i) => 5;

    /// <inheritdoc/>
    public override double Minimum => MinimumPerCoordinate * Dimension;

    /// <inheritdoc/>
    public override IReadOnlyList<double> Minimizer { get; }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> x)
    {
        CheckLength(x);
        var value = 0.0;
        foreach (var v in x)
        {
            var square = v * v;
            value += (square * square) - (16 * square) + (5 * v);
        }

        return Math.Max(value / 2, Minimum); // rounding can dip a hair below the true minimum
    }
}
