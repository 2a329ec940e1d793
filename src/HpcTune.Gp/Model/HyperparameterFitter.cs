using HpcTune.Gp.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace HpcTune.Gp.Model;

/// <summary>
/// Fits θ by maximizing log marginal likelihood + log prior with MathNet's bounded BFGS (analytic gradients),
/// from the prior mode and a few random starts drawn from the prior; the best end point wins.
/// </summary>
internal static class HyperparameterFitter
{
    /// <summary>
    /// Past this many features the fit climbs by projected gradient steps instead of BFGS: MathNet's bounded BFGS keeps
    /// a dense (D + 2)² inverse Hessian, 32 MB here, whose element count overflows an int past 46,340 features
    /// (the OverflowException or IndexOutOfRangeException of a 50,000- or 100,000-value categorical, issue 23).
    /// </summary>
    public const int MaxBfgsDimension = 2000;

    /// <summary>Gradient steps of a fit past <see cref="MaxBfgsDimension"/> features, from each start.</summary>
    private const int LargeFitSteps = 60;

    /// <summary>The MAP θ for the data; <paramref name="seed"/> fixes the random restarts.</summary>
    public static GpHyperparameters Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, int restarts, long seed, ILinearAlgebra? linearAlgebra = null, double[]? warmStart = null) =>
        Fit(x, y, dimension, restarts, seed, out _, linearAlgebra, warmStart);

    /// <summary>
    /// Climbs the log posterior from <paramref name="start"/> by a few projected Barzilai–Borwein gradient steps
    /// (<see cref="Acquisition.BoxGradientAscent"/>) and returns where it got, with the log posterior density (up to a
    /// constant) there. For a start that is already close (the previous fit, a few observations ago), this needs about
    /// a third of the likelihood evaluations that MathNet's bounded BFGS spends on its line searches.
    /// </summary>
    /// <remarks><paramref name="cancellationToken"/> is checked at every evaluation (<see cref="OperationCanceledException"/>).</remarks>
    public static GpHyperparameters Climb(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, ReadOnlySpan<double> start, int iterations, out double logPosterior, ILinearAlgebra? linearAlgebra = null, CancellationToken cancellationToken = default)
    {
        var likelihood = new MarginalLikelihood(x, y, dimension, linearAlgebra);
        double Objective(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return likelihood.Evaluate(theta, gradient) + GpPriors.LogDensity(theta, gradient);
        }

        var theta = GpHyperparameters.Clamp(start.ToArray());
        logPosterior = Acquisition.BoxGradientAscent.Maximize(Objective, theta, iterations, GpHyperparameters.LowerBounds(dimension), GpHyperparameters.UpperBounds(dimension));
        return new GpHyperparameters(theta);
    }

    /// <summary>The MAP θ for the data, and the log posterior density (up to a constant) it reaches.</summary>
    /// <remarks>With a <paramref name="warmStart"/> and <paramref name="fromMode"/> false the prior mode is not tried again
    /// (the warm start already came from there). <paramref name="cancellationToken"/> is checked at every evaluation.
    /// <paramref name="maxLogNoise"/>, when given, caps log σ_n² (exact data such as failed/succeeded labels).</remarks>
    public static GpHyperparameters Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, int restarts, long seed, out double logPosterior, ILinearAlgebra? linearAlgebra = null, double[]? warmStart = null, bool fromMode = true, double? maxLogNoise = null, CancellationToken cancellationToken = default)
    {
        var likelihood = new MarginalLikelihood(x, y, dimension, linearAlgebra);
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var starts = new List<double[]>();
        if (fromMode || warmStart is null)
        {
            starts.Add(GpPriors.Mode(dimension));
        }

        if (warmStart is not null)
        {
            starts.Add(GpHyperparameters.Clamp(warmStart));
        }

        for (var i = 0; i < restarts; i++)
        {
            starts.Add(GpPriors.Sample(dimension, random));
        }

        if (dimension > MaxBfgsDimension)
        {
            return ClimbFromEach(x, y, dimension, starts, out logPosterior, linearAlgebra, cancellationToken);
        }

        var best = starts[0];
        var bestValue = double.PositiveInfinity;
        var gradient = new double[dimension + 2];
        (double, Vector<double>) Objective(Vector<double> point)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var theta = point.AsArray() ?? point.ToArray();
            var value = likelihood.Evaluate(theta, gradient);
            var prior = GpPriors.LogDensity(theta, gradient);
            var objective = -(value + prior);
            if (!double.IsFinite(objective))
            {
                return (1e300, Vector<double>.Build.Dense(theta.Length));
            }

            if (objective < bestValue)
            {
                bestValue = objective;
                best = (double[])theta.Clone();
            }

            return (objective, Vector<double>.Build.Dense([.. gradient.Select(g => -g)]));
        }

        var lower = Vector<double>.Build.Dense(GpHyperparameters.LowerBounds(dimension));
        var upperBounds = GpHyperparameters.UpperBounds(dimension);
        upperBounds[^1] = Math.Min(upperBounds[^1], maxLogNoise ?? double.PositiveInfinity);
        var upper = Vector<double>.Build.Dense(upperBounds);
        foreach (var start in starts)
        {
            start[^1] = Math.Min(start[^1], upperBounds[^1]);
            try
            {
                var minimizer = new BfgsBMinimizer(1e-5, 1e-7, 1e-9, 60);
                minimizer.FindMinimum(ObjectiveFunction.Gradient(Objective), lower, upper, Vector<double>.Build.Dense((double[])start.Clone()));
            }
            catch (Exception e) when (e is OptimizationException or ArgumentException or MaximumIterationsException or InnerOptimizationException)
            {
                // The best point any evaluation saw is kept; a failed line search is not a failed fit.
            }
        }

        logPosterior = -bestValue;
        return new GpHyperparameters(GpHyperparameters.Clamp(best));
    }

    private static GpHyperparameters ClimbFromEach(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, List<double[]> starts, out double logPosterior, ILinearAlgebra? linearAlgebra, CancellationToken cancellationToken)
    {
        GpHyperparameters? best = null;
        logPosterior = double.NegativeInfinity;
        foreach (var start in starts)
        {
            var climbed = Climb(x, y, dimension, start, LargeFitSteps, out var value, linearAlgebra, cancellationToken);
            if (best is null || value > logPosterior)
            {
                (best, logPosterior) = (climbed, value);
            }
        }

        return best!;
    }
}
