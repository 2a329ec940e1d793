namespace HpcTune.Objectives;

/// <summary>
/// Branin–Hoo on [-5, 10] × [0, 15]; minimum 0.397887 at three points, one of them (π, 2.275). With more than two
/// inputs (<c>branin10</c>) the others, on [0, 1], are ignored: a test of whether the model finds the two that matter.
/// </summary>
public sealed class Branin : TestFunction
{
    /// <summary>Branin in <paramref name="dimension"/> inputs, of which the first two matter.</summary>
    public Branin(int dimension = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2);
        Dimension = dimension;
        Minimizer = [Math.PI, 2.275, .. Enumerable.Repeat(0.5, dimension - 2)];
    }

    /// <inheritdoc/>
    public override string Name => Dimension == 2 ? "branin" : $"branin{Dimension}";

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override double LowerBound(int i) => i == 0 ? -5 : 0;

    /// <inheritdoc/>
    public override double UpperBound(int i) => i switch { 0 => 10, 1 => 15, _ => 1 };

    /// <inheritdoc/>
    public override double Minimum => 5 / (4 * Math.PI);

    /// <inheritdoc/>
    public override IReadOnlyList<double> Minimizer { get; }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> x)
    {
        CheckLength(x);
        const double b = 5.1 / (4 * Math.PI * Math.PI);
        const double c = 5 / Math.PI;
        const double t = 1 / (8 * Math.PI);
        var inner = x[1] - (b * x[0] * x[0]) + (c * x[0]) - 6;
        return (inner * inner) + (10 * (1 - t) * Math.Cos(x[0])) + 10;
    }
}
