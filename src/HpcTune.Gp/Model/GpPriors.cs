namespace HpcTune.Gp.Model;

/// <summary>
/// Priors on the log hyperparameters, following the dimension-scaled defaults of recent BoTorch
/// (Hvarfner et al. 2024): log ℓ ~ N(√2 + ½ ln D, 3), so length scales grow like √D and high-dimensional
/// problems are not modelled as noise; log σ² ~ N(0, 1) around the standardized output scale; and a
/// weak log σ_n² ~ N(−9, 3²) that lets deterministic objectives fit almost without noise.
/// </summary>
public static class GpPriors
{
    private const double LogVarianceMean = 0, LogVarianceSd = 1, LogNoiseMean = -9, LogNoiseSd = 3;
    private static readonly double LengthscaleSd = Math.Sqrt(3);

    /// <summary>Mode of the length-scale prior for <paramref name="dimension"/> inputs.</summary>
    public static double LengthscaleMean(int dimension) => Math.Sqrt(2) + (0.5 * Math.Log(dimension));

    /// <summary>θ at the prior modes.</summary>
    public static double[] Mode(int dimension) => [.. Enumerable.Repeat(LengthscaleMean(dimension), dimension), LogVarianceMean, LogNoiseMean];

    /// <summary>A random θ from the priors (clamped to the bounds).</summary>
    public static double[] Sample(int dimension, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var theta = new double[dimension + 2];
        for (var d = 0; d < dimension; d++)
        {
            theta[d] = LengthscaleMean(dimension) + (LengthscaleSd * Normal(random));
        }

        theta[dimension] = LogVarianceMean + (LogVarianceSd * Normal(random));
        theta[dimension + 1] = LogNoiseMean + (LogNoiseSd * Normal(random));
        return GpHyperparameters.Clamp(theta);
    }

    /// <summary>log p(θ) up to a constant; adds ∂/∂θ to <paramref name="gradient"/>.</summary>
    public static double LogDensity(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var dimension = theta.Length - 2;
        var mean = LengthscaleMean(dimension);
        var sum = 0.0;
        for (var d = 0; d < dimension; d++)
        {
            sum += Term(theta[d], mean, LengthscaleSd, ref gradient[d]);
        }

        sum += Term(theta[dimension], LogVarianceMean, LogVarianceSd, ref gradient[dimension]);
        sum += Term(theta[dimension + 1], LogNoiseMean, LogNoiseSd, ref gradient[dimension + 1]);
        return sum;
    }

    private static double Term(double x, double mean, double sd, ref double gradient)
    {
        var z = (x - mean) / sd;
        gradient -= z / sd;
        return -0.5 * z * z;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
