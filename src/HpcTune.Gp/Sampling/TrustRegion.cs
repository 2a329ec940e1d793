using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Model;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// The box around the best observation that suggestions are confined to, as in TuRBO (Eriksson et al. 2019):
/// its side starts at <see cref="InitialLength"/> of the unit box, doubles after <see cref="SuccessTolerance"/>
/// improvements in a row, halves after max(4, d) evaluations without one, and starts over once it is smaller
/// than <see cref="MinLength"/>. Each side is stretched by its feature's length scale relative to their
/// geometric mean. Without it log-EI spends most of a 10-dimensional budget in corners, where the variance is
/// largest (Ackley-10 regret at 100 evaluations 5.8 → 4.3, Hartmann-6 at 50 3.7e-3 → 4.7e-5; README).
/// The length is replayed from the observations in order, so a resumed study gets the same box.
/// </summary>
internal static class TrustRegion
{
    /// <summary>Side length of a fresh region, as a fraction of the unit box.</summary>
    public const double InitialLength = 0.4;

    /// <summary>Below this the region starts over at <see cref="InitialLength"/>.</summary>
    public const double MinLength = 1.0 / 128;

    /// <summary>The region never grows beyond this.</summary>
    public const double MaxLength = 1.6;

    /// <summary>Improvements in a row that double the side.</summary>
    public const int SuccessTolerance = 3;

    /// <summary>
    /// The side length after <paramref name="values"/> (maximization form, in the order observed); the first
    /// <paramref name="initial"/> are the design and only set the incumbent. An improvement beats the incumbent
    /// by more than 1e-3 of the observed range.
    /// </summary>
    public static double Length(IReadOnlyList<double> values, int initial, int continuousFeatures)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return InitialLength;
        }

        var failureTolerance = Math.Max(4, continuousFeatures);
        var threshold = 1e-3 * (values.Max() - values.Min());
        var length = InitialLength;
        var best = double.NegativeInfinity;
        int successes = 0, failures = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (i >= initial)
            {
                var improved = values[i] > best + threshold;
                successes = improved ? successes + 1 : 0;
                failures = improved ? 0 : failures + 1;
                if (successes == SuccessTolerance)
                {
                    length = Math.Min(2 * length, MaxLength);
                    successes = 0;
                }
                else if (failures == failureTolerance)
                {
                    length /= 2;
                    failures = 0;
                    length = length < MinLength ? InitialLength : length;
                }
            }

            best = Math.Max(best, values[i]);
        }

        return length;
    }

    /// <summary>
    /// The box of side <paramref name="length"/> around <paramref name="center"/> over the continuous features,
    /// each side scaled by ℓ_f / (∏ℓ)^(1/k), clipped to the unit box; one-hot features keep [0, 1].
    /// </summary>
    public static SearchBox Around(ReadOnlySpan<double> center, double length, GpHyperparameters hyperparameters, IReadOnlyList<int> continuous)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(continuous);
        var box = SearchBox.Unit(center.Length);
        if (continuous.Count == 0)
        {
            return box;
        }

        var logMean = continuous.Average(f => hyperparameters.Theta[f]);
        foreach (var f in continuous)
        {
            var half = length * Math.Exp(hyperparameters.Theta[f] - logMean) / 2;
            box.Lower[f] = Math.Clamp(center[f] - half, 0, 1);
            box.Upper[f] = Math.Clamp(center[f] + half, 0, 1);
        }

        return box;
    }
}
