namespace HpcTune.Gp.Engines;

/// <summary>
/// Where the GP's dense work runs, in whole steps rather than one BLAS call at a time, so that an implementation may
/// keep its matrices on a device (a GPU) between the steps: the fit (kernel matrix, Cholesky factor, weights) and the
/// batched posterior of many candidates, and the log marginal likelihood with its gradient for the hyperparameter fit.
/// <see cref="HostGpEngine"/> runs them on host memory through an <see cref="LinearAlgebra.ILinearAlgebra"/> (managed or
/// native); HpcTune.Torch adds <c>torch</c>. Every implementation passes one conformance suite against the managed one.
/// </summary>
/// <remarks>
/// Hyperparameters are θ = [log ℓ_1..log ℓ_D, log σ², log σ_n²] as in <see cref="Model.GpHyperparameters"/>; points are
/// row-major n×D. An implementation reports its failures as exceptions of .NET (native code never throws through).
/// </remarks>
internal interface IGpEngine
{
    /// <summary>Name for logs and reports ("managed", "native (OpenBLAS)", "torch (cpu)").</summary>
    string Name { get; }

    /// <summary>
    /// Factorizes K(x, x) + (σ_n² + jitter) I for <paramref name="theta"/> — the jitter escalating from 0 as the host
    /// GP's does when the matrix is numerically singular — and solves for the weights α = (K + σ_n² I)⁻¹ y.
    /// </summary>
    /// <param name="x">n×<paramref name="dimension"/> row-major.</param>
    /// <param name="y">The n targets.</param>
    /// <param name="dimension">D.</param>
    /// <param name="theta">θ, length D + 2.</param>
    IGpPosterior Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, ReadOnlySpan<double> theta);

    /// <summary>The log marginal likelihood of the data as a function of θ, for the hyperparameter fit.</summary>
    IGpLikelihood Likelihood(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension);
}
