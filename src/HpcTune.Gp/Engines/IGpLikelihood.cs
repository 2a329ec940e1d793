namespace HpcTune.Gp.Engines;

/// <summary>The log marginal likelihood of one data set as a function of θ (<see cref="IGpEngine.Likelihood"/>).</summary>
internal interface IGpLikelihood : IDisposable
{
    /// <summary>
    /// log p(y | θ) = −½ yᵀα − Σ log L_ii − (n/2) log 2π; writes ∂/∂θ into <paramref name="gradient"/> (length D + 2).
    /// Returns −∞ when K + σ_n² I is not positive definite.
    /// </summary>
    double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient);
}
