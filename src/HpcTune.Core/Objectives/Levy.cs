namespace HpcTune.Objectives;

/// <summary>
/// Levy's function in any dimension on [-10, 10]^d; minimum 0 at (1, ..., 1). Rugged: a sin² ripple of period 4 in each
/// coordinate times a bowl, so many local minima lie around the global one (docs/gp-rugged.md).
/// </summary>
public sealed class Levy : TestFunction
{
    /// <summary>Levy in <paramref name="dimension"/> inputs.</summary>
    public Levy(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2);
        Dimension = dimension;
        Minimizer = [.. Enumerable.Repeat(1.0, dimension)];
    }

    /// <inheritdoc/>
    public override string Name => $"levy{Dimension}";

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override double LowerBound(int i) => -10;

    /// <inheritdoc/>
    public override double UpperBound(int i) => 10;

    /// <inheritdoc/>
    public override double Minimum => 0;

    /// <inheritdoc/>
    public override IReadOnlyList<double> Minimizer { get; }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> x)
    {
        CheckLength(x);
        static double W(double v) => 1 + ((v - 1) / 4);
        static double Square(double v) => v * v;
        var first = W(x[0]);
        var last = W(x[^1]);
        var value = Square(Math.Sin(Math.PI * first));
        for (var i = 0; i < x.Length - 1; i++)
        {
            var w = W(x[i]);
            value += Square(w - 1) * (1 + (10 * Square(Math.Sin((Math.PI * w) + 1))));
        }

        value += Square(last - 1) * (1 + Square(Math.Sin(2 * Math.PI * last)));
        return Math.Max(value, 0.0);
    }
}
