using System.Numerics.Tensors;
using HpcTune.Gp.Kernels;
using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Gp.Model;

/// <summary>
/// The log marginal likelihood of a Matérn-5/2 ARD GP and its analytic gradient in θ (log space):
/// log p(y) = −½ yᵀα − Σ log L_ii − (n/2) log 2π, and ∂/∂θ_j = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j).
/// One instance reuses its buffers across evaluations of the same data.
/// </summary>
internal sealed class MarginalLikelihood
{
    private readonly double[] _x;   // n × D
    private readonly double[] _y;
    private readonly int _n;
    private readonly int _d;
    private readonly ILinearAlgebra _la;
    private readonly double[] _k;   // kernel part, lower triangle
    private readonly double[] _g;   // derivative factor, lower triangle
    private readonly double[] _l;   // factor of K + σ_n² I
    private readonly double[] _inv; // L⁻¹, then W = ααᵀ − K⁻¹ (lower)
    private readonly double[] _zt;  // D × n scaled features

    /// <summary>Data: <paramref name="x"/> n×D row-major, <paramref name="y"/> the targets (unit variance).</summary>
    public MarginalLikelihood(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int dimension, ILinearAlgebra? linearAlgebra = null)
    {
        _n = y.Length;
        _d = dimension;
        if (x.Length != _n * _d)
        {
            throw new ArgumentException($"x has {x.Length} values, expected {_n}×{_d}");
        }

        _x = x.ToArray();
        _y = y.ToArray();
        _la = linearAlgebra ?? LinearAlgebraProviders.Default;
        _k = new double[_n * _n];
        _g = new double[_n * _n];
        _l = new double[_n * _n];
        _inv = new double[_n * _n];
        _zt = new double[_d * _n];
    }

    /// <summary>log p(y | θ); writes ∂/∂θ into <paramref name="gradient"/>. Returns −∞ when K is not positive definite.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var n = _n;
        var variance = Math.Exp(theta[_d]);
        var noise = Math.Exp(theta[_d + 1]);
        gradient.Clear();
        for (var d = 0; d < _d; d++)
        {
            var inv = Math.Exp(-theta[d]);
            for (var i = 0; i < n; i++)
            {
                _zt[(d * n) + i] = _x[(i * _d) + d] * inv;
            }
        }

        var r2 = new double[n];
        var scratch = new double[n];
        for (var i = 0; i < n; i++)
        {
            var row = r2.AsSpan(0, i + 1);
            row.Clear();
            for (var d = 0; d < _d; d++)
            {
                var column = _zt.AsSpan(d * n, i + 1);
                TensorPrimitives.Subtract(column, _zt[(d * n) + i], scratch.AsSpan(0, i + 1));
                TensorPrimitives.MultiplyAdd(scratch.AsSpan(0, i + 1), scratch.AsSpan(0, i + 1), row, row);
            }

            Matern52.ValueAndGradientFactor(row, variance, _k.AsSpan(i * n, i + 1), _g.AsSpan(i * n, i + 1), scratch.AsSpan(0, i + 1));
            _k.AsSpan(i * n, i + 1).CopyTo(_l.AsSpan(i * n, i + 1));
            _l[(i * n) + i] += noise;
        }

        try
        {
            _la.Cholesky(_l, n, n);
        }
        catch (NotPositiveDefiniteException)
        {
            return double.NegativeInfinity;
        }

        var alpha = (double[])_y.Clone();
        _la.SolveLower(_l, n, n, alpha, 1, 1);
        var quadratic = TensorPrimitives.Dot(alpha, alpha);
        _la.SolveLowerTransposed(_l, n, n, alpha);
        var logDet = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDet += Math.Log(_l[(i * n) + i]);
        }

        var value = (-0.5 * quadratic) - logDet - (0.5 * n * Math.Log(2 * Math.PI));

        // L⁻¹ (lower, row-major): solve L X = I.
        Array.Clear(_inv);
        for (var i = 0; i < n; i++)
        {
            _inv[(i * n) + i] = 1;
        }

        _la.SolveLower(_l, n, n, _inv, n, n);

        // W = ααᵀ − K⁻¹ with K⁻¹ = L⁻ᵀ L⁻¹: K⁻¹[a, b] = Σ_{k ≥ a} L⁻¹[k, a] L⁻¹[k, b] for b ≤ a. Kept in _l (no longer needed).
        var w = _l;
        for (var a = 0; a < n; a++)
        {
            var wa = w.AsSpan(a * n, a + 1);
            TensorPrimitives.Multiply(alpha.AsSpan(0, a + 1), -alpha[a], wa); // −(ααᵀ) for now; negated below
            for (var k = a; k < n; k++)
            {
                var coefficient = _inv[(k * n) + a];
                if (coefficient != 0)
                {
                    TensorPrimitives.MultiplyAdd(_inv.AsSpan(k * n, a + 1), coefficient, wa, wa);
                }
            }

            TensorPrimitives.Negate(wa, wa);
        }

        // Length scales: ½ Σ_ab W_ab g_ab δ²_abd/ℓ_d² = Σ_{a>b} W_ab g_ab (z_ad − z_bd)².
        // Variance: ½ Σ_ab W_ab k_ab. Noise: ½ σ_n² Σ_a W_aa.
        var trace = 0.0;
        var varianceTerm = 0.0;
        for (var a = 0; a < n; a++)
        {
            var wa = w.AsSpan(a * n, a);
            var ga = _g.AsSpan(a * n, a);
            var coefficients = scratch.AsSpan(0, a);
            TensorPrimitives.Multiply(wa, ga, coefficients);
            for (var d = 0; d < _d; d++)
            {
                var diff = r2.AsSpan(0, a);
                TensorPrimitives.Subtract(_zt.AsSpan(d * n, a), _zt[(d * n) + a], diff);
                TensorPrimitives.Multiply(diff, diff, diff);
                gradient[d] += TensorPrimitives.Dot(coefficients, diff);
            }

            var waa = w[(a * n) + a];
            trace += waa;
            varianceTerm += TensorPrimitives.Dot(wa, _k.AsSpan(a * n, a)) + (0.5 * waa * _k[(a * n) + a]);
        }

        gradient[_d] = varianceTerm;
        gradient[_d + 1] = 0.5 * noise * trace;
        return value;
    }
}
