using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using HpcTune.Gp.Model;
using HpcTune.Sampling;

namespace HpcTune.Gp.Acquisition;

/// <summary>
/// log expected improvement averaged over the outcomes of the suggestions still open (Snoek, Larochelle and Adams
/// 2012, "Practical Bayesian optimization of machine learning algorithms"): what adding a point to a batch whose
/// other members are still running is expected to gain, which the kriging believer approximates by fixing every
/// open outcome at its posterior mean.
/// </summary>
/// <remarks>
/// The open suggestions are in the model as fantasies, rows F of the factor L. Their outcomes (noise included) are
/// y_F = μ_F + L_FF z with z ~ N(0, I), and given them the posterior at x has the believer's variance and the mean
/// μ(x) + Σ_f (L⁻¹k(x))_f z_f: the fantasies' targets enter the mean through (L⁻¹y)_F, which is 0 at the believed
/// means and z for the drawn outcomes. So one draw costs an axpy over the tracked points per open suggestion
/// (the fantasy rows of <see cref="TrackedPoints.Solved"/>, already there), and its incumbent is the best of the
/// observed targets and the drawn outcomes. The average over draws is taken in log space (log-sum-exp of each
/// draw's log-EI), so it stays finite far into the tail; there the few draws that reach it dominate and the average
/// is underestimated (log EI −72.6 by 200,000 draws where quadrature gives −70.5, at a point beside an open
/// suggestion far from the best), which cannot change which candidate is best.
/// </remarks>
internal sealed class IntegratedExpectedImprovement
{
    private readonly double _bestObserved;
    private readonly int _draws;
    private SplitMix64 _random;
    private readonly List<double> _means = [];
    private readonly List<double> _outcomeDraws = []; // open suggestion f's standardized outcome in draw s at [f draws + s]
    private readonly double[] _incumbent;
    private (GaussianProcess? Model, long Version) _incumbentsOf; // the model state _incumbent was drawn for
    private double[] _terms = [];
    private double[] _inverseSd = [];
    private double[] _largest = [];
    private double[] _sum = [];

    /// <summary>An acquisition over <paramref name="draws"/> draws of the open outcomes, from <paramref name="seed"/>.</summary>
    /// <param name="bestObserved">The best observed target (the believed means are not incumbents here: each draw has its own outcomes).</param>
    /// <param name="draws">How many joint draws of the open suggestions' outcomes are averaged.</param>
    /// <param name="seed">Seed of the draws; the k-th open suggestion's draws depend on the seed and k alone.</param>
    public IntegratedExpectedImprovement(double bestObserved, int draws, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        _bestObserved = bestObserved;
        _draws = draws;
        _random = new SplitMix64(seed);
        _incumbent = new double[draws];
    }

    /// <summary>
    /// Adds the next open suggestion, in the order its fantasy entered the model, with its posterior mean (its believed
    /// outcome; adding the fantasy leaves it as it was).
    /// </summary>
    public void AddPending(double believedMean)
    {
        _means.Add(believedMean);
        for (var s = 0; s < _draws; s++)
        {
            _outcomeDraws.Add(StandardNormal());
        }
    }

    /// <summary>
    /// Fills <paramref name="score"/> with the integrated log-EI at each of <paramref name="tracked"/>'s points, whose
    /// posterior must be current with <paramref name="gp"/>, and whose fantasies must be the added open suggestions.
    /// </summary>
    public void Score(GaussianProcess gp, TrackedPoints tracked, Span<double> score)
    {
        ArgumentNullException.ThrowIfNull(gp);
        ArgumentNullException.ThrowIfNull(tracked);
        var observed = gp.ObservationCount;
        var pending = gp.Count - observed;
        if (tracked.Version != gp.Version || pending != _means.Count)
        {
            throw new InvalidOperationException($"the model has {pending} fantasies and changed since tracking, or this acquisition knows {_means.Count} open suggestions");
        }

        var m = tracked.Count;
        if (_incumbentsOf != (gp, gp.Version))
        {
            DrawIncumbents(gp, observed, pending); // once per model state: the refinements' end points are scored after the candidates
            _incumbentsOf = (gp, gp.Version);
        }

        var rows = tracked.Solved.AsSpan(observed * m, pending * m); // L⁻¹k at the fantasies, row f for fantasy f
        if (m <= ExactCount)
        {
            Exact(tracked.Mean, tracked.Variance, rows, m, pending, score);
            return;
        }

        // Bound first, then the draws only where the bound leaves a chance: most candidates are far from anything
        // promising, and log h at every draw of every candidate was most of a suggestion's time.
        var bound = new double[m];
        Bound(tracked.Mean, tracked.Variance, rows, m, pending, bound);
        var order = Enumerable.Range(0, m).OrderByDescending(j => bound[j]).ToArray();
        var best = new PriorityQueue<double, double>(); // the best scores by the draws so far, the lowest first
        var chunkRows = new double[pending * ExactCount];
        Span<double> chunkMean = stackalloc double[ExactCount];
        Span<double> chunkVariance = stackalloc double[ExactCount];
        Span<double> chunkScore = stackalloc double[ExactCount];
        var done = 0;
        while (done < m && (best.Count < ExactCount || bound[order[done]] > best.Peek()))
        {
            var c = Math.Min(ExactCount, m - done);
            for (var i = 0; i < c; i++)
            {
                var j = order[done + i];
                chunkMean[i] = tracked.Mean[j];
                chunkVariance[i] = tracked.Variance[j];
                for (var f = 0; f < pending; f++)
                {
                    chunkRows[(f * c) + i] = rows[(f * m) + j];
                }
            }

            Exact(chunkMean[..c], chunkVariance[..c], chunkRows.AsSpan(0, pending * c), c, pending, chunkScore[..c]);
            for (var i = 0; i < c; i++)
            {
                score[order[done + i]] = chunkScore[i];
                best.Enqueue(chunkScore[i], chunkScore[i]);
                if (best.Count > ExactCount)
                {
                    best.Dequeue();
                }
            }

            done += c;
        }

        for (var i = done; i < m; i++)
        {
            score[order[i]] = bound[order[i]]; // below the exact best scores, so they only order the rest
        }
    }

    /// <summary>
    /// How many of the best candidates are scored by the draws for certain; the rest are scored by the draws only
    /// while their bound exceeds the lowest of those, and by the bound otherwise.
    /// </summary>
    internal const int ExactCount = 32;

    /// <summary>
    /// An upper bound on each point's integrated EI, in log space: with every draw's incumbent lowered to the lowest of
    /// them, the average over the outcomes is exact in closed form, EI with the variance of the mean's shift
    /// (Σ_f (L⁻¹k)_f², what the fantasies took off) added back. It bounds the expectation; an average of 32 draws can
    /// exceed it a little (by 0.025 in log EI in the tests).
    /// </summary>
    private void Bound(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, ReadOnlySpan<double> rows, int m, int pending, Span<double> bound)
    {
        var sd = new double[m]; // the believer's variance plus what the fantasies took off, then its square root
        variance[..m].CopyTo(sd);
        for (var f = 0; f < pending; f++)
        {
            var row = rows.Slice(f * m, m);
            TensorPrimitives.MultiplyAdd(row, row, sd, sd);
        }

        TensorPrimitives.Sqrt(sd, sd);
        var lowest = _incumbent.Min();
        TensorPrimitives.Subtract(mean[..m], lowest, bound);
        TensorPrimitives.Divide(bound, sd, bound);
        NormalMath.LogH(bound, bound);
        TensorPrimitives.Log(sd, sd);
        TensorPrimitives.Add(bound, sd, bound);
    }

    /// <summary>The integrated log-EI of m points from their believer's mean and variance and L⁻¹k at the fantasies (pending × m).</summary>
    private void Exact(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, ReadOnlySpan<double> rows, int m, int pending, Span<double> score)
    {
        if (_inverseSd.Length < m)
        {
            _inverseSd = new double[m];
            _largest = new double[m];
            _sum = new double[m];
            _terms = new double[_draws * m];
        }

        var inverseSd = _inverseSd.AsSpan(0, m);
        var largest = _largest.AsSpan(0, m);
        var sum = _sum.AsSpan(0, m);
        var terms = _terms.AsSpan(0, _draws * m); // draw s's terms for every point at [s m, (s + 1) m)
        TensorPrimitives.ReciprocalSqrt(variance[..m], inverseSd);
        StandardizedOutcomes(mean[..m], inverseSd, rows, m, pending, terms);
        NormalMath.LogH(terms, terms); // one batch: the per-element scalar log h was most of a suggestion's time

        // log of the average of exp(term) over the draws, each point's sum taken relative to its largest term.
        terms[..m].CopyTo(largest);
        for (var s = 1; s < _draws; s++)
        {
            TensorPrimitives.Max(largest, terms.Slice(s * m, m), largest);
        }

        sum.Clear();
        for (var s = 0; s < _draws; s++)
        {
            var relative = terms.Slice(s * m, m);
            TensorPrimitives.Subtract(relative, largest, relative);
            TensorPrimitives.Max(relative, -700, relative); // e⁻⁷⁰⁰ vanishes beside the largest term's 1; past −709 exp goes scalar
            TensorPrimitives.Exp(relative, relative);
            TensorPrimitives.Add(sum, relative, sum);
        }

        var result = score[..m];
        TensorPrimitives.Log(sum, sum);
        TensorPrimitives.Log(inverseSd, inverseSd);
        TensorPrimitives.Subtract(sum, inverseSd, sum);
        TensorPrimitives.Add(largest, sum, result);
        TensorPrimitives.Subtract(result, Math.Log(_draws), result);
    }

    /// <summary>
    /// terms[s, j] = (μ_j + Σ_f z_sf rows[f, j] − incumbent_s) / σ_j for every draw s and point j: a small matrix
    /// product, blocked so that a block of 4 vectors of points' rows stays in L1 through every draw (one axpy per
    /// draw and open suggestion streamed all the rows from L2 again for each draw: 1.8 GFMA/s here).
    /// </summary>
    private void StandardizedOutcomes(ReadOnlySpan<double> mean, ReadOnlySpan<double> inverseSd, ReadOnlySpan<double> rows, int m, int pending, Span<double> terms)
    {
        var draws = CollectionsMarshal.AsSpan(_outcomeDraws);
        var width = Vector<double>.Count;
        var j = 0;
        for (; j <= m - (4 * width); j += 4 * width)
        {
            var mean0 = new Vector<double>(mean[j..]);
            var mean1 = new Vector<double>(mean[(j + width)..]);
            var mean2 = new Vector<double>(mean[(j + (2 * width))..]);
            var mean3 = new Vector<double>(mean[(j + (3 * width))..]);
            for (var s = 0; s < _draws; s++)
            {
                var incumbent = new Vector<double>(_incumbent[s]);
                Vector<double> sum0 = mean0 - incumbent, sum1 = mean1 - incumbent, sum2 = mean2 - incumbent, sum3 = mean3 - incumbent;
                for (var f = 0; f < pending; f++)
                {
                    var z = new Vector<double>(draws[(f * _draws) + s]);
                    var row = rows.Slice((f * m) + j, 4 * width);
                    sum0 = Vector.FusedMultiplyAdd(z, new Vector<double>(row), sum0);
                    sum1 = Vector.FusedMultiplyAdd(z, new Vector<double>(row[width..]), sum1);
                    sum2 = Vector.FusedMultiplyAdd(z, new Vector<double>(row[(2 * width)..]), sum2);
                    sum3 = Vector.FusedMultiplyAdd(z, new Vector<double>(row[(3 * width)..]), sum3);
                }

                var output = terms.Slice((s * m) + j, 4 * width);
                (sum0 * new Vector<double>(inverseSd[j..])).CopyTo(output);
                (sum1 * new Vector<double>(inverseSd[(j + width)..])).CopyTo(output[width..]);
                (sum2 * new Vector<double>(inverseSd[(j + (2 * width))..])).CopyTo(output[(2 * width)..]);
                (sum3 * new Vector<double>(inverseSd[(j + (3 * width))..])).CopyTo(output[(3 * width)..]);
            }
        }

        for (; j < m; j++)
        {
            // The same operations one lane at a time (a fused multiply-add rounds as the vector one does), so a point's
            // terms do not depend on where in the block it sits.
            for (var s = 0; s < _draws; s++)
            {
                var sum = mean[j] - _incumbent[s];
                for (var f = 0; f < pending; f++)
                {
                    sum = Math.FusedMultiplyAdd(draws[(f * _draws) + s], rows[(f * m) + j], sum);
                }

                terms[(s * m) + j] = sum * inverseSd[j];
            }
        }
    }

    /// <summary>The integrated log-EI at one point of <paramref name="gp"/> (feature vector <paramref name="point"/>), O(n²).</summary>
    public double ScoreAt(GaussianProcess gp, double[] point)
    {
        ArgumentNullException.ThrowIfNull(gp);
        Span<double> score = stackalloc double[1];
        Score(gp, gp.Track(point, 1), score); // one point: feature-major is the point itself
        return score[0];
    }

    /// <summary>Each draw's incumbent: the best observed target or the best drawn outcome, y_F = μ_F + L_FF z.</summary>
    private void DrawIncumbents(GaussianProcess gp, int observed, int pending)
    {
        Array.Fill(_incumbent, _bestObserved);
        var factor = gp.Factor;
        var stride = gp.Stride;
        var draws = CollectionsMarshal.AsSpan(_outcomeDraws);
        Span<double> outcomes = _draws <= 256 ? stackalloc double[_draws] : new double[_draws];
        for (var f = 0; f < pending; f++)
        {
            // All draws of outcome f at once, a contiguous row of draws per earlier outcome (strided before, with
            // 63 open suggestions 8 % of a series suggestion's time). The same additions in the same order.
            var row = factor.Slice(((observed + f) * stride) + observed, f + 1);
            outcomes.Fill(_means[f]);
            for (var g = 0; g <= f; g++)
            {
                TensorPrimitives.MultiplyAdd(draws.Slice(g * _draws, _draws), row[g], outcomes, outcomes);
            }

            TensorPrimitives.Max(_incumbent, outcomes, _incumbent);
        }
    }

    /// <summary>A standard normal draw (Box–Muller, one of the pair), from a stream that does not depend on .NET's <see cref="Random"/>.</summary>
    private double StandardNormal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
