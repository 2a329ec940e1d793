using HpcTune.Gp.LinearAlgebra;
using HpcTune.Gp.Model;

namespace HpcTune.Gp.Engines;

/// <summary>
/// The GP's steps on host memory, through <see cref="GaussianProcess"/> and <see cref="MarginalLikelihood"/> with an
/// <see cref="ILinearAlgebra"/>: the managed engine or the native one (libhpctune_la). It is
/// the code the sampler has always run, so its numbers are the reference the other engines are held to.
/// </summary>
internal sealed class HostGpEngine(ILinearAlgebra linearAlgebra) : IGpEngine
{
    /// <summary>The managed engine (always available).</summary>
    public static HostGpEngine Managed { get; } = new(ManagedLinearAlgebra.Instance);

    /// <summary>The linear algebra it runs on.</summary>
    public ILinearAlgebra LinearAlgebra { get; } = linearAlgebra ?? throw new ArgumentNullException(nameof(linearAlgebra));

    /// <inheritdoc/>
    public string Name => LinearAlgebra.Name;

    /// <inheritdoc/>
    public IGpPosterior Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, ReadOnlySpan<double> theta)
    {
        CheckData(x, y, dimension);
        CheckTheta(theta, dimension);
        var gp = new GaussianProcess(new GpHyperparameters(theta.ToArray()), LinearAlgebra);
        gp.SetData(x, y);
        return new HostPosterior(gp);
    }

    /// <inheritdoc/>
    public IGpLikelihood Likelihood(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension)
    {
        CheckData(x, y, dimension);
        return new HostLikelihood(new MarginalLikelihood(x, y, dimension, LinearAlgebra), dimension);
    }

    /// <summary>Throws unless <paramref name="x"/> holds <paramref name="y"/>'s count of points of <paramref name="dimension"/>.</summary>
    internal static void CheckData(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (x.Length != y.Length * dimension)
        {
            throw new ArgumentException($"x has {x.Length} values; {y.Length} points of dimension {dimension} need {y.Length * dimension}", nameof(x));
        }
    }

    /// <summary>Throws unless θ has D + 2 entries.</summary>
    internal static void CheckTheta(ReadOnlySpan<double> theta, int dimension)
    {
        if (theta.Length != dimension + 2)
        {
            throw new ArgumentException($"θ has {theta.Length} entries; dimension {dimension} needs {dimension + 2} (length scales, variance, noise)", nameof(theta));
        }
    }

    /// <summary>Throws unless the buffers of a batch of <paramref name="m"/> points fit.</summary>
    internal static void CheckBatch(int pointsLength, int m, int dimension, int meanLength, int varianceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (pointsLength != m * dimension || meanLength < m || varianceLength < m)
        {
            throw new ArgumentException($"a batch of {m} points of dimension {dimension} needs {m * dimension} values and mean and variance buffers of {m}; got {pointsLength}, {meanLength} and {varianceLength}");
        }
    }

    private sealed class HostPosterior(GaussianProcess gp) : IGpPosterior
    {
        private double[] _pointsT = [];

        public int Count => gp.Count;

        public int Dimension => gp.Dimension;

        public double Jitter => gp.Jitter;

        public void CopyFactor(Span<double> destination, int stride)
        {
            var n = gp.Count;
            for (var i = 0; i < n; i++)
            {
                gp.Factor.Slice(i * gp.Stride, i + 1).CopyTo(destination.Slice(i * stride, i + 1));
            }
        }

        public void CopyWeights(Span<double> destination) => gp.CopyWeights(destination);

        public void Predict(ReadOnlySpan<double> points, int m, Span<double> mean, Span<double> variance, Span<double> solved)
        {
            var d = gp.Dimension;
            CheckBatch(points.Length, m, d, mean.Length, variance.Length);
            if (_pointsT.Length < m * d)
            {
                _pointsT = new double[m * d];
            }

            for (var j = 0; j < m; j++)
            {
                for (var k = 0; k < d; k++)
                {
                    _pointsT[(k * m) + j] = points[(j * d) + k];
                }
            }

            if (!solved.IsEmpty && solved.Length < gp.Count * m)
            {
                throw new ArgumentException($"solved needs {gp.Count}×{m} values, got {solved.Length}", nameof(solved));
            }

            gp.PredictSolved(_pointsT.AsSpan(0, m * d), m, mean, variance, solved);
        }

        public void Dispose()
        {
        }
    }

    private sealed class HostLikelihood(MarginalLikelihood likelihood, int dimension) : IGpLikelihood
    {
        public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            CheckTheta(theta, dimension);
            if (gradient.Length < dimension + 2)
            {
                throw new ArgumentException($"the gradient needs {dimension + 2} entries, got {gradient.Length}", nameof(gradient));
            }

            return likelihood.Evaluate(theta, gradient);
        }

        public void Dispose()
        {
        }
    }
}
