using MathNet.Numerics.Distributions;

namespace HpcTune.Bench.Simulation;

/// <summary>
/// Objective durations drawn from a lognormal with a given mean and log-space standard deviation, from a seeded
/// generator: the same seed gives the same durations in the same order, whatever the master's timing.
/// </summary>
internal sealed class LogNormalDurations
{
    private readonly LogNormal _distribution;

    /// <summary>Durations with mean <paramref name="meanSeconds"/> and log-space standard deviation <paramref name="sigma"/>.</summary>
    public LogNormalDurations(double meanSeconds, double sigma, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(meanSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(sigma);
        // E[X] = exp(mu + sigma^2 / 2) for a lognormal, so mu follows from the mean asked for.
        _distribution = new LogNormal(Math.Log(meanSeconds) - (sigma * sigma / 2), sigma, new Random(seed));
    }

    /// <summary>The next duration in seconds (the worker does not change it: draws are in the order trials start).</summary>
    public double Next(int worker) => _distribution.Sample();
}
