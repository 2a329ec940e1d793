namespace HpcTune.Objectives;

/// <summary>Ackley's function in any dimension on [-32.768, 32.768]^d; minimum 0 at the origin.</summary>
public sealed class Ackley : TestFunction
{
    /// <summary>Ackley in <paramref name="dimension"/> inputs.</summary>
    public Ackley(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Minimizer = new double[dimension];
    }

    /// <inheritdoc/>
    public override string Name => $"ackley{Dimension}";

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override double LowerBound(int i) => -32.768;

    /// <inheritdoc/>
    public override double UpperBound(int i) => 32.768;

    /// <inheritdoc/>
    public override double Minimum => 0;

    /// <inheritdoc/>
    public override IReadOnlyList<double> Minimizer { get; }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> x)
    {
        CheckLength(x);
        double squares = 0, cosines = 0;
        foreach (var v in x)
        {
            squares += v * v;
            cosines += Math.Cos(2 * Math.PI * v);
        }

        var value = (-20 * Math.Exp(-0.2 * Math.Sqrt(squares / x.Length))) - Math.Exp(cosines / x.Length) + 20 + Math.E;
        return Math.Max(value, 0.0); // rounding can dip a hair below the true minimum 0 at the origin
    }
}
