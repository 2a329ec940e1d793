using HpcTune.Gp.Engines;
using HpcTune.Gp.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcTune.Torch;

/// <summary>
/// <see cref="IGpEngine"/> on libtorch in double precision: the kernel matrix, its Cholesky factor and the weights
/// stay on <see cref="Device"/> (the CPU here; a CUDA device changes nothing else) for the batched posterior; the
/// likelihood's gradient comes from autograd through the factorization.
/// </summary>
internal sealed class TorchGpEngine(Device device) : IGpEngine
{
    /// <summary>Attempts of the factorization with escalating jitter, as the host GP makes them.</summary>
    private const int FactorAttempts = 7;

    /// <summary>Where the tensors live.</summary>
    public Device Device { get; } = device ?? throw new ArgumentNullException(nameof(device));

    /// <inheritdoc/>
    public string Name => $"torch ({Device.type.ToString().ToLowerInvariant()})";

    /// <inheritdoc/>
    public IGpPosterior Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, ReadOnlySpan<double> theta)
    {
        HostGpEngine.CheckData(x, y, dimension);
        HostGpEngine.CheckTheta(theta, dimension);
        var n = y.Length;
        var inverseLengthscale = new double[dimension];
        for (var d = 0; d < dimension; d++)
        {
            inverseLengthscale[d] = 1.0 / Math.Exp(theta[d]);
        }

        var variance = Math.Exp(theta[dimension]);
        var noise = Math.Exp(theta[dimension + 1]);
        using var scope = NewDisposeScope();
        var scale = Tensor(inverseLengthscale, 1, dimension);
        var z = Tensor(x, n, dimension) * scale;
        var kernel = TorchKernel.Matern52(TorchKernel.SquaredDistances(z, z), tensor(variance, ScalarType.Float64, Device));
        var identity = eye(n, dtype: ScalarType.Float64, device: Device);
        var jitter = 0.0;
        for (var attempt = 0; ; attempt++)
        {
            var (factor, info) = linalg.cholesky_ex(kernel + ((noise + jitter) * identity));
            var failedOrder = info.item<int>(); // LAPACK's info: the order of the first minor that is not positive definite
            if (failedOrder == 0)
            {
                var alpha = cholesky_solve(Tensor(y, n, 1), factor);
                return new TorchPosterior(z, factor, alpha, scale, variance, jitter).MoveToOuter(scope);
            }

            if (attempt + 1 == FactorAttempts)
            {
                throw new NotPositiveDefiniteException(failedOrder - 1, double.NaN);
            }

            jitter = jitter == 0 ? 1e-10 * variance : jitter * 10;
        }
    }

    /// <inheritdoc/>
    public IGpLikelihood Likelihood(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension)
    {
        HostGpEngine.CheckData(x, y, dimension);
        var n = y.Length;
        return new TorchLikelihood(Tensor(x, n, dimension), Tensor(y, n, 1), dimension);
    }

    /// <summary>A float64 tensor of the given shape on <see cref="Device"/>, copied from host values.</summary>
    internal Tensor Tensor(ReadOnlySpan<double> values, long rows, long columns) =>
        tensor(values.ToArray(), [rows, columns], ScalarType.Float64, Device);
}
