using HpcTune.Gp.Engines;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcTune.Torch;

/// <summary>
/// log p(y | θ) of one data set on libtorch; the gradient in θ comes from autograd through the Cholesky factor
/// (the host computes the same ½ tr((ααᵀ − K⁻¹) ∂K/∂θ) by hand).
/// </summary>
internal sealed class TorchLikelihood(Tensor x, Tensor y, int dimension) : IGpLikelihood
{
    /// <inheritdoc/>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        HostGpEngine.CheckTheta(theta, dimension);
        if (gradient.Length < dimension + 2)
        {
            throw new ArgumentException($"the gradient needs {dimension + 2} entries, got {gradient.Length}", nameof(gradient));
        }

        gradient[..(dimension + 2)].Clear();
        var n = y.shape[0];
        using var scope = NewDisposeScope();
        var t = tensor(theta.ToArray(), ScalarType.Float64, x.device, requires_grad: true);
        var z = x * (-t.narrow(0, 0, dimension)).exp().unsqueeze(0);
        var kernel = TorchKernel.Matern52(TorchKernel.SquaredDistances(z, z), t[dimension].exp());
        var covariance = kernel + (t[dimension + 1].exp() * eye(n, dtype: ScalarType.Float64, device: x.device));
        var (factor, info) = linalg.cholesky_ex(covariance);
        if (info.item<int>() != 0)
        {
            return double.NegativeInfinity;
        }

        var whitened = linalg.solve_triangular(factor, y, upper: false);
        var value = (-0.5 * whitened.square().sum()) - factor.diagonal().log().sum() - (0.5 * n * Math.Log(2 * Math.PI));
        value.backward();
        TorchPosterior.Host(t.grad!).CopyTo(gradient);

        return value.item<double>();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        x.Dispose();
        y.Dispose();
    }
}
