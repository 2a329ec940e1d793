namespace HpcTune.Gp.Engines;

/// <summary>A fitted GP as an engine holds it (<see cref="IGpEngine.Fit"/>): its factor, weights and batched posterior.</summary>
internal interface IGpPosterior : IDisposable
{
    /// <summary>Observations n.</summary>
    int Count { get; }

    /// <summary>Input dimension D.</summary>
    int Dimension { get; }

    /// <summary>Diagonal jitter that the factorization needed beyond the noise (0 when none).</summary>
    double Jitter { get; }

    /// <summary>Copies the lower Cholesky factor L into <paramref name="destination"/>, row-major with row stride <paramref name="stride"/>; the strict upper triangle is left as it was.</summary>
    void CopyFactor(Span<double> destination, int stride);

    /// <summary>Copies the weights α (length n).</summary>
    void CopyWeights(Span<double> destination);

    /// <summary>
    /// Posterior mean k(·, x)ᵀα and variance σ² − ‖L⁻¹k(x, ·)‖² (floored at 10⁻¹² σ²) of the latent function at the
    /// <paramref name="m"/> points of <paramref name="points"/> (m×D row-major); <paramref name="solved"/>, when not
    /// empty, receives L⁻¹k(x, ·) (n × m row-major), which the host GP keeps to update variances under fantasies.
    /// </summary>
    void Predict(ReadOnlySpan<double> points, int m, Span<double> mean, Span<double> variance, Span<double> solved);
}
