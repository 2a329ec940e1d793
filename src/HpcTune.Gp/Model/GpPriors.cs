using HpcTune.Gp.Acquisition;

namespace HpcTune.Gp.Model;

/// <summary>
/// Priors on the log hyperparameters. Length scales (inputs in the unit cube) get steep walls on both sides
/// of ℓ = 1: log p = −0.1 (ℓ² + ℓ⁻²), the shape Optuna's GP uses for its inverse squared length scales. Without
/// the wall against short scales a few extreme observations (Hartmann-6) are explained by ℓ ≈ 0.04 in one
/// input, and the sampler then chases corners; the dimension-scaled log-normal of recent BoTorch was measured
/// here and left Hartmann-6 at regret ≈ 1 after 50 evaluations (docs/gp.md). The signal variance gets
/// log σ² ~ N(0, 1) around the targets' unit variance. The noise gets a split normal on log σ_n² with mode
/// −9: sd 3 below (deterministic objectives may fit almost without noise) and sd 1 above. The steep upper side
/// keeps a rugged but deterministic surface (Ackley's ripples) from being explained as noise: a noise-dominated
/// model sees nothing but variance and sends every suggestion to the corners (Ackley-10 regret at 100
/// evaluations 9.7 → 5.8, 20 seeds). Real noise still wins on evidence; docs/gp.md has the noisy benchmark.
/// The log length scales also share a common scale: each one's deviation from their mean gets
/// log p = −<see cref="LengthScaleSpread"/> × deviation² (a normal with sd 1.4: a factor of 4 at one sd).
/// Without it ten free length scales fitted on 50 observations swung between refits (one input's ℓ went
/// 0.44 → 1.15 in three observations on Ackley-10), and the trust region's sides with them. Ackley-10 regret
/// at 100 evaluations, 120 seeds, with the prior mean at the worst observation: 3.68 without, 3.53 with this
/// strength, 3.40 with 1; but an input the data call irrelevant must still get a long scale, and at strength 1
/// Branin in 2 of 10 inputs (<c>branin10</c>, 60 seeds, regret at 50 / 100 evaluations) gave 5.9e-4 / 1.9e-5
/// without the pull, 9.6e-4 / 1.9e-5 at 0.25 and 2.2e-3 / 3.6e-5 at 1. One input's scale e³ from the other nine's
/// costs about 2 nats here.
/// </summary>
internal static class GpPriors
{
    /// <summary>Strength of the pull of the log length scales toward their mean (see the class remarks).</summary>
    public const double LengthScaleSpread = 0.25;

    private const double WallStrength = 0.1, LogVarianceMean = 0, LogVarianceSd = 1, LogNoiseMean = -9, LogNoiseSdBelow = 3, LogNoiseSdAbove = 1;

    /// <summary>θ at the prior modes.</summary>
    public static double[] Mode(int dimension) => [.. Enumerable.Repeat(0.0, dimension), LogVarianceMean, LogNoiseMean];

    /// <summary>A random θ near the prior (clamped to the bounds), for restarts.</summary>
    public static double[] Sample(int dimension, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var theta = new double[dimension + 2];
        for (var d = 0; d < dimension; d++)
        {
            theta[d] = 1.2 * NormalMath.Sample(random); // the wall prior's bulk lies within about ±1.2 of log ℓ = 0
        }

        theta[dimension] = LogVarianceMean + (LogVarianceSd * NormalMath.Sample(random));
        var z = NormalMath.Sample(random);
        theta[dimension + 1] = LogNoiseMean + ((z > 0 ? LogNoiseSdAbove : LogNoiseSdBelow) * z);
        return GpHyperparameters.Clamp(theta);
    }

    /// <summary>log p(θ) up to a constant; adds ∂/∂θ to <paramref name="gradient"/>.</summary>
    public static double LogDensity(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var dimension = theta.Length - 2;
        var sum = 0.0;
        for (var d = 0; d < dimension; d++)
        {
            var up = Math.Exp(2 * theta[d]);
            var down = 1 / up;
            sum -= WallStrength * (up + down);
            gradient[d] -= 2 * WallStrength * (up - down);
        }

        if (dimension > 1)
        {
            var meanLog = 0.0;
            for (var d = 0; d < dimension; d++)
            {
                meanLog += theta[d];
            }

            meanLog /= dimension;
            for (var d = 0; d < dimension; d++)
            {
                // ∂/∂θ_d of Σ_e (θ_e − mean)² is 2(θ_d − mean): the mean's own terms cancel, the deviations summing to 0.
                var deviation = theta[d] - meanLog;
                sum -= LengthScaleSpread * deviation * deviation;
                gradient[d] -= 2 * LengthScaleSpread * deviation;
            }
        }

        sum += Gaussian(theta[dimension], LogVarianceMean, LogVarianceSd, ref gradient[dimension]);
        var noiseSd = theta[dimension + 1] > LogNoiseMean ? LogNoiseSdAbove : LogNoiseSdBelow;
        sum += Gaussian(theta[dimension + 1], LogNoiseMean, noiseSd, ref gradient[dimension + 1]);
        return sum;
    }

    private static double Gaussian(double x, double mean, double sd, ref double gradient)
    {
        var z = (x - mean) / sd;
        gradient -= z / sd;
        return -0.5 * z * z;
    }
}
