namespace HpcTune.Objectives;

/// <summary>Rosenbrock's valley in any dimension ≥ 2 on [-5, 10]^d; minimum 0 at (1, ..., 1).</summary>
public sealed class Rosenbrock : TestFunction
{
    /// <summary>Rosenbrock in <paramref name="dimension"/> inputs.</summary>
    public Rosenbrock(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2);
        Dimension = dimension;
        Minimizer = [.. Enumerable.Repeat(1.0, dimension)];
    }

    /// <inheritdoc/>
    public override string Name => $"rosenbrock{Dimension}";

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override double LowerBound(int i) => -5;

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
        var sum = 0.0;
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = 1 - x[i];
            sum += (100 * a * a) + (b * b);
        }

        return sum;
    }
}
