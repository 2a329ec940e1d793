namespace HpcTune.Objectives;

/// <summary>Branin–Hoo on [-5, 10] × [0, 15]; minimum 0.397887 at three points, one of them (π, 2.275).</summary>
public sealed class Branin : TestFunction
{
    /// <inheritdoc/>
    public override string Name => "branin";

    /// <inheritdoc/>
    public override int Dimension => 2;

    /// <inheritdoc/>
    public override double LowerBound(int i) => i == 0 ? -5 : 0;

    /// <inheritdoc/>
    public override double UpperBound(int i) => i == 0 ? 10 : 15;

    /// <inheritdoc/>
    public override double Minimum => 5 / (4 * Math.PI);

    /// <inheritdoc/>
    public override IReadOnlyList<double> Minimizer { get; } = [Math.PI, 2.275];

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
