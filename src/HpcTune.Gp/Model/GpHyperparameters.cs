namespace HpcTune.Gp.Model;

/// <summary>
/// Hyperparameters of a Matérn-5/2 ARD GP in log space: θ = [log ℓ_1..log ℓ_D, log σ², log σ_n²]
/// (length scales, signal variance, noise variance, the last two in the targets' units).
/// </summary>
internal sealed class GpHyperparameters
{
    /// <summary>Bounds that keep the kernel matrix and the optimizer sane.</summary>
    public const double MinLogLengthscale = -6.9, MaxLogLengthscale = 6.9, MinLogVariance = -6.9, MaxLogVariance = 6.9, MinLogNoise = -18.4, MaxLogNoise = 0;

    /// <summary>Wraps a θ vector of length D + 2.</summary>
    public GpHyperparameters(double[] theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.Length < 3)
        {
            throw new ArgumentException("θ needs at least one length scale, the variance and the noise", nameof(theta));
        }

        Theta = theta;
    }

    /// <summary>The raw vector (log space).</summary>
    public double[] Theta { get; }

    /// <summary>Number of input dimensions.</summary>
    public int Dimension => Theta.Length - 2;

    /// <summary>Length scale of dimension d.</summary>
    public double Lengthscale(int d) => Math.Exp(Theta[d]);

    /// <summary>Signal variance σ².</summary>
    public double Variance => Math.Exp(Theta[^2]);

    /// <summary>Noise variance σ_n².</summary>
    public double Noise => Math.Exp(Theta[^1]);

    /// <summary>Lower bound of each θ entry.</summary>
    public static double[] LowerBounds(int dimension) => [.. Enumerable.Repeat(MinLogLengthscale, dimension), MinLogVariance, MinLogNoise];

    /// <summary>Upper bound of each θ entry.</summary>
    public static double[] UpperBounds(int dimension) => [.. Enumerable.Repeat(MaxLogLengthscale, dimension), MaxLogVariance, MaxLogNoise];

    /// <summary>θ clamped into the bounds.</summary>
    public static double[] Clamp(double[] theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        var d = theta.Length - 2;
        var lo = LowerBounds(d);
        var hi = UpperBounds(d);
        return [.. theta.Select((t, i) => Math.Clamp(t, lo[i], hi[i]))];
    }
}
