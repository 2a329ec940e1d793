namespace HpcTune.Gp.Acquisition;

/// <summary>An acquisition function of a Gaussian posterior (maximization; larger is more promising).</summary>
internal interface IAcquisition
{
    /// <summary>The value at posterior mean <paramref name="mean"/> and standard deviation <paramref name="sd"/>, with ∂/∂mean and ∂/∂sd.</summary>
    double Value(double mean, double sd, out double dMean, out double dSd);

    /// <summary>The value alone, for scoring many candidates; the same number as <see cref="Value"/>.</summary>
    double Score(double mean, double sd) => Value(mean, sd, out _, out _);
}

/// <summary>log expected improvement over <paramref name="best"/>, stable far into the tail.</summary>
internal sealed class LogExpectedImprovement(double best) : IAcquisition
{
    /// <inheritdoc/>
    public double Value(double mean, double sd, out double dMean, out double dSd) => NormalMath.LogExpectedImprovement(mean, sd, best, out dMean, out dSd);

    /// <summary>log EI without its derivatives: one erfc instead of two (candidate scoring is most of a suggestion's time at small n).</summary>
    public double Score(double mean, double sd) => Math.Log(sd) + NormalMath.LogH((mean - best) / sd);
}

/// <summary>Upper confidence bound μ + κσ.</summary>
internal sealed class UpperConfidenceBound(double kappa) : IAcquisition
{
    /// <summary>The exploration weight κ.</summary>
    public double Kappa => kappa;

    /// <inheritdoc/>
    public double Value(double mean, double sd, out double dMean, out double dSd)
    {
        dMean = 1;
        dSd = kappa;
        return mean + (kappa * sd);
    }
}
