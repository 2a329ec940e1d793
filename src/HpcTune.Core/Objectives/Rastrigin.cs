namespace HpcTune.Objectives;

/// <summary>
/// Rastrigin's function in any dimension on [-5.12, 5.12]^d; minimum 0 at the origin. Rugged: a cosine ripple of
/// period 1 on a bowl, about 10^d local minima (docs/gp-rugged.md).
/// </summary>
public sealed class Rastrigin : TestFunction
{
    /// <summary>Rastrigin in <paramref name="dimension"/> inputs.</summary>
    public Rastrigin(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Minimizer = new double[dimension];
    }

    /// <inheritdoc/>
    public override string Name => $"rastrigin{Dimension}";

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override double LowerBound(int i) => -5.12;

    /// <inheritdoc/>
    public override double UpperBound(int i) => 5.12;

    /// <inheritdoc/>
    public override double Minimum => 0;

    /// <inheritdoc/>
    public override IReadOnlyList<double> Minimizer { get; }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> x)
    {
        CheckLength(x);
        var value = 10.0 * x.Length;
        foreach (var v in x)
        {
            value += (v * v) - (10 * Math.Cos(2 * Math.PI * v));
        }

        return Math.Max(value, 0.0); // rounding can dip a hair below the true minimum 0 at the origin
    }
}
