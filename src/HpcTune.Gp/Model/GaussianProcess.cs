using System.Numerics.Tensors;
using HpcTune.Gp.Engines;
using HpcTune.Gp.Kernels;
using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Gp.Model;

/// <summary>
/// A zero-mean GP with a Matérn-5/2 ARD kernel on targets of unit variance (the sampler puts their zero, the prior
/// mean, at the worst observation), kept as a Cholesky factor that grows by
/// rank-1 extensions: <see cref="AddObservation"/> (O(n²)) and <see cref="AddFantasy(ReadOnlySpan{double})"/> (a pending point believed at
/// its posterior mean: the mean is unchanged, only the variance shrinks), undone by <see cref="ClearFantasies"/>.
/// Inputs are feature vectors of length <see cref="Dimension"/>; buffers grow and are reused, so predictions do not
/// allocate per point.
/// </summary>
internal sealed class GaussianProcess
{
    private const double MinVarianceFraction = 1e-12;
    private readonly ILinearAlgebra _la;
    private readonly IGpEngine? _engine; // when set, the fit's factor and the batched posterior come from it
    private IGpPosterior? _device;       // the engine's fit of the data, valid while Version is _deviceVersion
    private long _deviceVersion = -1;
    private double[] _x = [];      // capacity × D, raw features
    private double[] _zt = [];     // D × capacity, features / ℓ, feature-major for SIMD over points
    private double[] _l = [];      // capacity × capacity, lower Cholesky factor of K + (σ_n² + jitter) I
    private double[] _y = [];      // targets of the observations
    private double[] _alpha = [];  // (K + σ_n² I)⁻¹ y over the observations
    private double[] _invLengthscale;
    private int _capacity;
    private double[] _work = [];
    private double[] _distanceScratch = [];
    private double[] _kernelScratch = [];

    /// <summary>
    /// An empty GP with hyperparameters <paramref name="hyperparameters"/>. With an <paramref name="engine"/>,
    /// <see cref="SetData"/> factorizes there and <see cref="Predict"/> and <see cref="Track"/> of the model as fitted
    /// (no fantasy or observation added since) run there; the rank-1 updates stay on the host factor it copies back.
    /// </summary>
    public GaussianProcess(GpHyperparameters hyperparameters, ILinearAlgebra? linearAlgebra = null, IGpEngine? engine = null)
    {
        Hyperparameters = hyperparameters ?? throw new ArgumentNullException(nameof(hyperparameters));
        _la = linearAlgebra ?? LinearAlgebraProviders.Default;
        _engine = engine;
        Dimension = hyperparameters.Dimension;
        _invLengthscale = [.. Enumerable.Range(0, Dimension).Select(d => 1.0 / hyperparameters.Lengthscale(d))];
        Grow(16);
    }

    /// <summary>Input dimension.</summary>
    public int Dimension { get; }

    /// <summary>The hyperparameters in use.</summary>
    public GpHyperparameters Hyperparameters { get; }

    /// <summary>Observations in the model.</summary>
    public int ObservationCount { get; private set; }

    /// <summary>Observations plus fantasies.</summary>
    public int Count { get; private set; }

    /// <summary>Changes whenever the model's points or targets change (tracked points check it).</summary>
    internal long Version { get; private set; }

    /// <summary>Diagonal jitter that the factorization needed beyond the noise (0 when none).</summary>
    public double Jitter { get; private set; }

    /// <summary>The factor L (row-major, row stride <see cref="Stride"/>), for tests.</summary>
    internal ReadOnlySpan<double> Factor => _l;

    /// <summary>Row stride of <see cref="Factor"/>.</summary>
    internal int Stride => _capacity;

    /// <summary>
    /// Replaces the data: <paramref name="x"/> is n×D row-major, <paramref name="y"/> their targets.
    /// Factorizes with escalating jitter if the matrix is numerically singular.
    /// </summary>
    public void SetData(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = y.Length;
        if (x.Length != n * Dimension)
        {
            throw new ArgumentException($"x has {x.Length} values; {n} points of dimension {Dimension} need {n * Dimension}");
        }

        Count = ObservationCount = 0;
        Grow(n);
        for (var i = 0; i < n; i++)
        {
            StorePoint(i, x.Slice(i * Dimension, Dimension));
        }

        y.CopyTo(_y);
        Count = ObservationCount = n;
        if (_engine is null)
        {
            Factorize();
        }
        else
        {
            FactorizeOnEngine(x, y);
        }

        UpdateAlpha();
        Version++;
        _deviceVersion = _device is null ? -1 : Version;
    }

    /// <summary>Copies the weights α = (K + σ_n² I)⁻¹ y of the observations.</summary>
    internal void CopyWeights(Span<double> destination) => _alpha.AsSpan(0, ObservationCount).CopyTo(destination);

    /// <summary>Adds one observation by a rank-1 extension of the factor (no fantasies may be present).</summary>
    public void AddObservation(ReadOnlySpan<double> x, double y)
    {
        if (Count != ObservationCount)
        {
            throw new InvalidOperationException("clear the fantasies before adding an observation");
        }

        Extend(x);
        _y[ObservationCount] = y;
        ObservationCount = Count;
        UpdateAlpha();
    }

    /// <summary>Replaces the targets of the observations (after rescaling), O(n²).</summary>
    public void SetTargets(ReadOnlySpan<double> y)
    {
        if (y.Length != ObservationCount)
        {
            throw new ArgumentException($"expected {ObservationCount} targets, got {y.Length}");
        }

        y.CopyTo(_y);
        UpdateAlpha();
        Version++;
    }

    /// <summary>Adds a pending point believed at its posterior mean: the variance near it shrinks, the mean stays.</summary>
    public void AddFantasy(ReadOnlySpan<double> x) => Extend(x);

    /// <summary>
    /// Adds m pending points at once (<paramref name="points"/> is m×D row-major): the same factor as m calls of
    /// <see cref="AddFantasy(ReadOnlySpan{double})"/>, computed as a block — one triangular solve with m right-hand sides (BLAS-3, one
    /// pass over L instead of m) and the Cholesky factor of the m×m Schur complement. Falls back to one at a time
    /// when the points are so close that the complement is not positive definite.
    /// </summary>
    public void AddFantasies(ReadOnlySpan<double> points, int m)
    {
        if (points.Length != m * Dimension)
        {
            throw new ArgumentException($"expected {m} points of dimension {Dimension}");
        }

        if (m <= 1)
        {
            if (m == 1)
            {
                Extend(points);
            }

            return;
        }

        var n = Count;
        Grow(n + m);
        var sigma2 = Hyperparameters.Variance;
        var v = new double[n * m];         // n × m: K(train, pending), then L⁻¹ of it
        var schur = new double[m * m];
        var scaled = new double[Dimension * m];
        var tmp = new double[Math.Max(n, m)];
        var scratch = new double[Math.Max(n, m)];
        for (var j = 0; j < m; j++)
        {
            for (var d = 0; d < Dimension; d++)
            {
                scaled[(d * m) + j] = points[(j * Dimension) + d] * _invLengthscale[d];
            }
        }

        CrossCovariances(scaled, m, n, v, tmp.AsSpan(0, m), scratch.AsSpan(0, m));

        for (var a = 0; a < m; a++)
        {
            var row = schur.AsSpan(a * m, a + 1);
            for (var d = 0; d < Dimension; d++)
            {
                TensorPrimitives.Subtract(scaled.AsSpan(d * m, a + 1), scaled[(d * m) + a], tmp.AsSpan(0, a + 1));
                TensorPrimitives.MultiplyAdd(tmp.AsSpan(0, a + 1), tmp.AsSpan(0, a + 1), row, row);
            }

            Matern52.Value(row, sigma2, row, scratch.AsSpan(0, a + 1));
            row[a] += Hyperparameters.Noise + Jitter;
        }

        _la.SolveLower(_l, n, _capacity, v, m, m);
        var vt = new double[m * Math.Max(n, 1)];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                vt[(j * n) + i] = v[(i * m) + j];
            }
        }

        if (n > 0)
        {
            _la.SyrkLower(m, n, -1.0, vt, n, 1.0, schur, m);    // S = K_ff + σ_n² I − VᵀV
        }

        try
        {
            _la.Cholesky(schur, m, m);
        }
        catch (NotPositiveDefiniteException)
        {
            for (var j = 0; j < m; j++)
            {
                Extend(points.Slice(j * Dimension, Dimension)); // clamps each pivot instead
            }

            return;
        }

        for (var j = 0; j < m; j++)
        {
            StorePoint(n + j, points.Slice(j * Dimension, Dimension));
            var row = _l.AsSpan((n + j) * _capacity, n + j + 1);
            vt.AsSpan(j * n, n).CopyTo(row);
            schur.AsSpan(j * m, j + 1).CopyTo(row[n..]);
        }

        Count = n + m;
        Version++;
    }

    /// <summary>Removes every fantasy (the factor's first rows are untouched by them).</summary>
    public void ClearFantasies()
    {
        Count = ObservationCount;
        Version++;
    }

    /// <summary>
    /// Posterior mean and variance of the latent function at m points given feature-major
    /// (<paramref name="pointsT"/>[d * m + j] is feature d of point j).
    /// </summary>
    public void Predict(ReadOnlySpan<double> pointsT, int m, Span<double> mean, Span<double> variance)
    {
        if (pointsT.Length < m * Dimension || mean.Length < m || variance.Length < m)
        {
            throw new ArgumentException("buffers are too small for the batch");
        }

        var n = Count;
        if (OnDevice(pointsT, m, mean, variance, []))
        {
            return;
        }

        var work = Work((n * m) + (Dimension * m));
        var scaled = work.Slice(n * m, Dimension * m);        // points / ℓ, feature-major
        for (var d = 0; d < Dimension; d++)
        {
            TensorPrimitives.Multiply(pointsT.Slice(d * m, m), _invLengthscale[d], scaled.Slice(d * m, m));
        }

        PredictScaled(scaled, m, mean, variance, work[..(n * m)]);
    }

    /// <summary><see cref="Predict"/> that also leaves L⁻¹K(train, points), n × m, in <paramref name="solved"/> (when not empty).</summary>
    internal void PredictSolved(ReadOnlySpan<double> pointsT, int m, Span<double> mean, Span<double> variance, Span<double> solved)
    {
        var n = Count;
        if (solved.IsEmpty)
        {
            Predict(pointsT, m, mean, variance);
            return;
        }

        if (pointsT.Length < m * Dimension || mean.Length < m || variance.Length < m || solved.Length < n * m)
        {
            throw new ArgumentException("buffers are too small for the batch");
        }

        if (OnDevice(pointsT, m, mean, variance, solved[..(n * m)]))
        {
            return;
        }

        var scaled = Work(Dimension * m);
        for (var d = 0; d < Dimension; d++)
        {
            TensorPrimitives.Multiply(pointsT.Slice(d * m, m), _invLengthscale[d], scaled.Slice(d * m, m));
        }

        PredictScaled(scaled, m, mean, variance, solved[..(n * m)]);
    }

    /// <summary>
    /// Scratch of at least <paramref name="need"/> values, grown by doubling: a series adds a fantasy before every
    /// suggestion, and growing to the exact size reallocated (and zeroed) it after every fantasy.
    /// </summary>
    private Span<double> Work(int need)
    {
        if (_work.Length < need)
        {
            _work = new double[Math.Max(need, 2 * _work.Length)];
        }

        return _work.AsSpan(0, need);
    }

    /// <summary><see cref="Predict"/> of points already divided by the length scales; <paramref name="kt"/> (n × m) ends as L⁻¹K(train, points).</summary>
    private void PredictScaled(ReadOnlySpan<double> scaled, int m, Span<double> mean, Span<double> variance, Span<double> kt)
    {
        var n = Count;
        if (_kernelScratch.Length < 2 * m)
        {
            _kernelScratch = new double[2 * m];
        }

        var tmp = _kernelScratch.AsSpan(0, m);
        var scratch = _kernelScratch.AsSpan(m, m);
        var sigma2 = Hyperparameters.Variance;
        CrossCovariances(scaled, m, n, kt, tmp, scratch);

        var meanOut = mean[..m];
        meanOut.Clear();
        for (var i = 0; i < ObservationCount; i++)
        {
            TensorPrimitives.MultiplyAdd(kt.Slice(i * m, m), _alpha[i], meanOut, meanOut);
        }

        _la.SolveLower(_l, n, _capacity, kt, m, m);
        var varianceOut = variance[..m];
        varianceOut.Fill(sigma2);
        for (var i = 0; i < n; i++)
        {
            var row = kt.Slice(i * m, m);
            TensorPrimitives.Negate(row, tmp);
            TensorPrimitives.MultiplyAdd(row, tmp, varianceOut, varianceOut); // σ² − Σ_i v_i²
        }

        TensorPrimitives.Max(varianceOut, MinVarianceFraction * sigma2, varianceOut);
    }

    /// <summary>
    /// The posterior at m fixed points (feature-major, as for <see cref="Predict"/>) kept for
    /// <see cref="AddFantasy(ReadOnlySpan{double}, TrackedPoints)"/>, which updates it in O(n m) per fantasy instead of the
    /// O(n² m) of predicting again: a batch of suggestions scores one candidate set.
    /// </summary>
    public TrackedPoints Track(ReadOnlySpan<double> pointsT, int m)
    {
        var tracked = new TrackedPoints(m, Dimension, Version);
        for (var d = 0; d < Dimension; d++)
        {
            TensorPrimitives.Multiply(pointsT.Slice(d * m, m), _invLengthscale[d], tracked.ScaledT.AsSpan(d * m, m));
        }

        tracked.Reserve(Count); // and RowsAhead more
        if (OnDevice(pointsT, m, tracked.MeanBuffer, tracked.VarianceBuffer, tracked.Solved.AsSpan(0, Count * m)))
        {
            return tracked;
        }

        PredictScaled(tracked.ScaledT, m, tracked.MeanBuffer, tracked.VarianceBuffer, tracked.Solved.AsSpan(0, Count * m));
        return tracked;
    }

    /// <summary>
    /// <see cref="AddFantasy(ReadOnlySpan{double})"/>, and <paramref name="tracked"/>'s variances shrink by the new
    /// row of L⁻¹K(·, points): v = (k(x, points) − Vᵀ l) / l_xx, variance −= v². The mean stays, as it does for any fantasy.
    /// </summary>
    public void AddFantasy(ReadOnlySpan<double> x, TrackedPoints tracked)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        if (tracked.Version != Version)
        {
            throw new InvalidOperationException("the model changed since these points were tracked");
        }

        var n = Count;
        Extend(x);
        var m = tracked.Count;
        tracked.Reserve(n + 1);
        var v = tracked.Solved.AsSpan(n * m, m);
        var scratch = tracked.Scratch.AsSpan();
        v.Clear();
        for (var d = 0; d < Dimension; d++)
        {
            TensorPrimitives.Subtract(tracked.ScaledT.AsSpan(d * m, m), _zt[(d * _capacity) + n], scratch);
            TensorPrimitives.MultiplyAdd(scratch, scratch, v, v);
        }

        Matern52.Value(v, Hyperparameters.Variance, v, scratch);
        var row = _l.AsSpan(n * _capacity, n + 1);
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.MultiplyAdd(tracked.Solved.AsSpan(i * m, m), -row[i], v, v);
        }

        TensorPrimitives.Divide(v, row[n], v);
        var variance = tracked.VarianceBuffer.AsSpan();
        TensorPrimitives.Negate(v, scratch);
        TensorPrimitives.MultiplyAdd(v, scratch, variance, variance);
        TensorPrimitives.Max(variance, MinVarianceFraction * Hyperparameters.Variance, variance);
        tracked.Version = Version;
    }

    /// <summary>Posterior mean at one point: k·α, O(n d), no triangular solve.</summary>
    public double PredictMean(ReadOnlySpan<double> x)
    {
        if (x.Length != Dimension)
        {
            throw new ArgumentException("the point must have the model's dimension", nameof(x));
        }

        var n = ObservationCount;
        var work = Work((2 * n) + Dimension);
        var k = work[..n];
        var scratch = work.Slice(n, n);
        var z = work.Slice(2 * n, Dimension);
        TensorPrimitives.Multiply(x, _invLengthscale, z);
        SquaredDistances(z, k);
        Matern52.Value(k, Hyperparameters.Variance, k, scratch);
        return TensorPrimitives.Dot(k, _alpha.AsSpan(0, n));
    }

    /// <summary>Posterior mean and variance at one point, with their gradients with respect to the point.</summary>
    public (double Mean, double Variance) PredictWithGradient(ReadOnlySpan<double> x, Span<double> meanGradient, Span<double> varianceGradient)
    {
        if (x.Length != Dimension || meanGradient.Length < Dimension || varianceGradient.Length < Dimension)
        {
            throw new ArgumentException("point and gradient buffers must have the model's dimension");
        }

        var n = Count;
        var work = Work((4 * n) + Dimension);
        var k = work[..n];
        var g = work.Slice(n, n);
        var w = work.Slice(2 * n, n);
        var z = work.Slice(3 * n, Dimension);
        var e = work.Slice((3 * n) + Dimension, n);
        TensorPrimitives.Multiply(x, _invLengthscale, z);
        SquaredDistances(z, k);
        var sigma2 = Hyperparameters.Variance;
        Matern52.ValueAndGradientFactor(k, sigma2, k, g, e);

        var mean = TensorPrimitives.Dot(k[..ObservationCount], _alpha.AsSpan(0, ObservationCount));
        k.CopyTo(w);
        _la.SolveLower(_l, n, _capacity, w, 1, 1);                   // v = L⁻¹ k
        var variance = Math.Max(sigma2 - TensorPrimitives.Dot(w, w), MinVarianceFraction * sigma2);
        _la.SolveLowerTransposed(_l, n, _capacity, w);               // w = K⁻¹ k

        // ∂k_i/∂x_d = −g_i (z_d − z_i,d) / ℓ_d
        for (var d = 0; d < Dimension; d++)
        {
            var column = _zt.AsSpan(d * _capacity, n);
            double dMean = 0, dVar = 0;
            for (var i = 0; i < n; i++)
            {
                var dk = -g[i] * (z[d] - column[i]) * _invLengthscale[d];
                if (i < ObservationCount)
                {
                    dMean += _alpha[i] * dk;
                }

                dVar -= 2 * w[i] * dk;
            }

            meanGradient[d] = dMean;
            varianceGradient[d] = dVar;
        }

        return (mean, variance);
    }

    /// <summary>
    /// Row i of <paramref name="destination"/> (n × m) = k(training point i, each of m points given scaled and
    /// feature-major in <paramref name="scaledT"/>).
    /// </summary>
    private void CrossCovariances(ReadOnlySpan<double> scaledT, int m, int n, Span<double> destination, Span<double> tmp, Span<double> scratch)
    {
        for (var i = 0; i < n; i++)
        {
            var row = destination.Slice(i * m, m);
            row.Clear();
            for (var d = 0; d < Dimension; d++)
            {
                TensorPrimitives.Subtract(scaledT.Slice(d * m, m), _zt[(d * _capacity) + i], tmp);
                TensorPrimitives.MultiplyAdd(tmp, tmp, row, row);
            }

            Matern52.Value(row, Hyperparameters.Variance, row, scratch);
        }
    }

    private void Extend(ReadOnlySpan<double> x)
    {
        var n = Count;
        Grow(n + 1);
        StorePoint(n, x);
        var row = _l.AsSpan(n * _capacity, n + 1);
        Span<double> scaled = stackalloc double[Dimension];
        TensorPrimitives.Multiply(x, _invLengthscale, scaled);
        var k = row[..n];
        SquaredDistances(scaled, k);
        if (_kernelScratch.Length < n)
        {
            _kernelScratch = new double[Math.Max(n, 2 * _kernelScratch.Length)];
        }

        Matern52.Value(k, Hyperparameters.Variance, k, _kernelScratch.AsSpan(0, n));
        _la.SolveLower(_l, n, _capacity, k, 1, 1);                   // l = L⁻¹ k
        var pivot = Hyperparameters.Variance + Hyperparameters.Noise + Jitter - TensorPrimitives.Dot(k, k);
        // A point (almost) on top of an earlier one leaves no new variance: keep the factor positive definite.
        row[n] = Math.Sqrt(Math.Max(pivot, MinVarianceFraction * Hyperparameters.Variance));
        Count = n + 1;
        Version++;
    }

    private void SquaredDistances(ReadOnlySpan<double> scaledPoint, Span<double> destination)
    {
        var n = destination.Length;
        destination.Clear();
        if (_distanceScratch.Length < n)
        {
            _distanceScratch = new double[Math.Max(n, 2 * _distanceScratch.Length)];
        }

        var tmp = _distanceScratch.AsSpan(0, n);
        for (var d = 0; d < Dimension; d++)
        {
            TensorPrimitives.Subtract(_zt.AsSpan(d * _capacity, n), scaledPoint[d], tmp);
            TensorPrimitives.MultiplyAdd(tmp, tmp, destination, destination);
        }
    }

    /// <summary>
    /// The engine's posterior at m feature-major points, when the model is still as the engine fitted it; false (and
    /// nothing written) otherwise. <paramref name="solved"/>, when not empty, receives L⁻¹K(train, points), n × m.
    /// </summary>
    private bool OnDevice(ReadOnlySpan<double> pointsT, int m, Span<double> mean, Span<double> variance, Span<double> solved)
    {
        if (_device is null || _deviceVersion != Version)
        {
            return false;
        }

        var points = new double[m * Dimension];
        for (var d = 0; d < Dimension; d++)
        {
            for (var j = 0; j < m; j++)
            {
                points[(j * Dimension) + d] = pointsT[(d * m) + j];
            }
        }

        _device.Predict(points, m, mean[..m], variance[..m], solved);
        return true;
    }

    private void FactorizeOnEngine(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        _device?.Dispose();
        _device = null;
        var fitted = _engine!.Fit(x, y, Dimension, Hyperparameters.Theta);
        fitted.CopyFactor(_l, _capacity);
        Jitter = fitted.Jitter;
        _device = fitted;
    }

    private void Factorize()
    {
        var n = Count;
        var sigma2 = Hyperparameters.Variance;
        Jitter = 0;
        var scratchRow = new double[n];
        Span<double> z = stackalloc double[Dimension];
        for (var attempt = 0; ; attempt++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var d = 0; d < Dimension; d++)
                {
                    z[d] = _zt[(d * _capacity) + i];
                }

                var row = _l.AsSpan(i * _capacity, i + 1);
                SquaredDistances(z, row);
                Matern52.Value(row, sigma2, row, scratchRow.AsSpan(0, i + 1));
                row[i] += Hyperparameters.Noise + Jitter;
            }

            try
            {
                _la.Cholesky(_l, n, _capacity);
                return;
            }
            catch (NotPositiveDefiniteException) when (attempt < 6)
            {
                Jitter = Jitter == 0 ? 1e-10 * sigma2 : Jitter * 10;
            }
        }
    }

    private void UpdateAlpha()
    {
        var n = ObservationCount;
        var alpha = _alpha.AsSpan(0, n);
        _y.AsSpan(0, n).CopyTo(alpha);
        _la.SolveLower(_l, n, _capacity, alpha, 1, 1);
        _la.SolveLowerTransposed(_l, n, _capacity, alpha);
    }

    private void StorePoint(int index, ReadOnlySpan<double> x)
    {
        if (x.Length != Dimension)
        {
            throw new ArgumentException($"expected a point of dimension {Dimension}, got {x.Length}");
        }

        x.CopyTo(_x.AsSpan(index * Dimension, Dimension));
        for (var d = 0; d < Dimension; d++)
        {
            _zt[(d * _capacity) + index] = x[d] * _invLengthscale[d];
        }
    }

    private void Grow(int needed)
    {
        if (needed <= _capacity)
        {
            return;
        }

        var capacity = Math.Max(needed, Math.Max(16, _capacity * 2));
        var l = new double[capacity * capacity];
        var zt = new double[Dimension * capacity];
        for (var i = 0; i < Count; i++)
        {
            _l.AsSpan(i * _capacity, i + 1).CopyTo(l.AsSpan(i * capacity, i + 1));
        }

        for (var d = 0; d < Dimension; d++)
        {
            _zt.AsSpan(d * _capacity, Count).CopyTo(zt.AsSpan(d * capacity, Count));
        }

        Array.Resize(ref _x, capacity * Dimension);
        Array.Resize(ref _y, capacity);
        Array.Resize(ref _alpha, capacity);
        _l = l;
        _zt = zt;
        _capacity = capacity;
    }
}
