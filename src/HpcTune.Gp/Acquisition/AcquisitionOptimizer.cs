using HpcTune.Gp.Model;
using HpcTune.Gp.Sampling;
using HpcTune.Sampling;
using HpcTune.Space;

namespace HpcTune.Gp.Acquisition;

/// <summary>
/// Maximizes an acquisition function over a box of the space (the whole unit box, or a trust region): a scrambled
/// Sobol candidate set spread over the box plus perturbations of the best observed points, scored in one batched posterior call; the best few refined by projected gradient ascent over the
/// continuous features (categoricals held); then the first candidate, in order of value, whose decoded
/// assignment is neither observed nor pending.
/// </summary>
internal sealed class AcquisitionOptimizer
{
    private const int LocalPerAnchor = 48;
    private static readonly double[] LocalScales = [0.005, 0.02, 0.1];
    private readonly FeatureEncoder _encoder;
    private readonly int _candidates;
    private readonly int _refinements;
    private readonly int _refineIterations;

    /// <summary>Creates an optimizer for <paramref name="encoder"/>'s features.</summary>
    public AcquisitionOptimizer(FeatureEncoder encoder, int candidates = 1024, int refinements = 3, int refineIterations = 20)
    {
        _refineIterations = refineIterations;
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _candidates = candidates;
        _refinements = refinements;
    }

    /// <summary>
    /// When set, log P(feasible) is added to the acquisition everywhere (candidates and refinements): constraint
    /// metrics and failures (docs/gp-constraints.md).
    /// </summary>
    public FeasibilityModel? Feasibility { get; init; }

    /// <summary>
    /// Candidates per continuous feature that move the best anchor (the incumbent) along that one feature to
    /// stratified values across its whole range, outside the search box: in a separable function with a shallow and a
    /// deep basin per coordinate, a trust region around the incumbent never reaches the other basin of a single
    /// coordinate (docs/gp-rugged.md). Zero adds none.
    /// </summary>
    public int CoordinateMoves { get; init; }

    /// <summary>How many of the quasi-random candidates spread over the whole unit box instead of the search box.</summary>
    public int GlobalCandidates { get; init; }

    /// <summary>The most promising new assignment, or null when every candidate is already taken.</summary>
    /// <param name="gp">The model (with fantasies for pending points, if any).</param>
    /// <param name="acquisition">What to maximize.</param>
    /// <param name="anchors">Feature vectors of the best observed points; perturbed to add local candidates.</param>
    /// <param name="taken">Assignments observed or pending.</param>
    /// <param name="pending">Feature vectors of the suggestions still open: a new one keeps <see cref="PendingRadius"/> from each.</param>
    /// <param name="seed">Seed of this call's candidates.</param>
    /// <param name="box">Where the continuous features may go; the whole unit box when null.</param>
    public Assignment? Optimize(GaussianProcess gp, IAcquisition acquisition, IReadOnlyList<double[]> anchors, IReadOnlySet<Assignment> taken, IReadOnlyList<double[]> pending, long seed, SearchBox? box = null) =>
        Begin(gp, anchors, taken, pending, seed, box, track: false).Next(acquisition, _refinements);

    /// <summary>
    /// Scores a candidate set once for a series of suggestions: <see cref="AcquisitionSearch.Next(IAcquisition, int)"/> gives the best
    /// candidate, <see cref="AcquisitionSearch.Add"/> makes a chosen one pending (with <paramref name="track"/>, its
    /// fantasy updates the candidates' variances in O(n m) instead of scoring them again). The arguments are those of
    /// <see cref="Optimize"/>; the first <see cref="AcquisitionSearch.Next(IAcquisition, int)"/> returns what Optimize would.
    /// </summary>
    public AcquisitionSearch Begin(GaussianProcess gp, IReadOnlyList<double[]> anchors, IReadOnlySet<Assignment> taken, IReadOnlyList<double[]> pending, long seed, SearchBox? box, bool track)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(gp);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(taken);
        var d = _encoder.Dimension;
        box ??= SearchBox.Unit(d);
        var points = Candidates(anchors, box, seed, out var m);
        var transposed = new double[d * m];
        for (var j = 0; j < m; j++)
        {
            for (var f = 0; f < d; f++)
            {
                transposed[(f * m) + j] = points[(j * d) + f];
            }
        }

        return new AcquisitionSearch(this, _encoder, gp, box, points, transposed, m, taken, pending, track);
    }

    private double[] Candidates(IReadOnlyList<double[]> anchors, SearchBox box, long seed, out int count)
    {
        var d = _encoder.Dimension;
        var parameters = _encoder.ParameterCount;
        var perAnchor = Math.Clamp(_candidates / 8, 12, LocalPerAnchor) / LocalScales.Length * LocalScales.Length;
        var local = Math.Min(anchors.Count, 5) * perAnchor;
        var moved = anchors.Count > 0 && CoordinateMoves > 0 ? _encoder.ActiveContinuous(anchors[0]) : [];
        count = _candidates + local + (moved.Count * CoordinateMoves);
        var points = new double[count * d];
        var random = new Random(unchecked((int)(seed ^ (seed >> 29))));
        var sobol = parameters <= SobolSequence.MaxDimension ? new SobolSequence(parameters, seed) : null;
        Span<double> unit = stackalloc double[parameters];
        for (var j = 0; j < _candidates; j++)
        {
            if (sobol is not null)
            {
                sobol.Point(j, unit);
            }
            else
            {
                for (var p = 0; p < parameters; p++)
                {
                    unit[p] = random.NextDouble(); // beyond Sobol's dimensions: plain uniform candidates
                }
            }

            var point = points.AsSpan(j * d, d);
            _encoder.FromUnit(unit, point);
            var bounds = j < GlobalCandidates ? UnitBox : BoxFor(point, box);
            foreach (var f in _encoder.ContinuousFeatures)
            {
                point[f] = bounds.Lower[f] + ((bounds.Upper[f] - bounds.Lower[f]) * point[f]);
            }

            _encoder.Impute(point); // an inactive parameter's feature moved into the box goes back to its imputed value
        }

        for (var j = _candidates; j < _candidates + local; j++)
        {
            var anchor = anchors[(j - _candidates) / perAnchor];
            var scale = LocalScales[(j - _candidates) % LocalScales.Length]; // close, medium and wide steps in turn
            var target = points.AsSpan(j * d, d);
            anchor.CopyTo(target);
            var bounds = BoxFor(anchor, box);
            foreach (var f in _encoder.ContinuousFeatures)
            {
                target[f] = Math.Clamp(anchor[f] + (scale * NormalMath.Sample(random)), bounds.Lower[f], bounds.Upper[f]);
            }

            _encoder.Impute(target);
        }

        for (var k = 0; k < moved.Count * CoordinateMoves; k++)
        {
            var target = points.AsSpan((_candidates + local + k) * d, d);
            anchors[0].CopyTo(target);
            target[moved[k / CoordinateMoves]] = ((k % CoordinateMoves) + random.NextDouble()) / CoordinateMoves; // one per stratum of the range
        }

        return points;
    }

    internal (double Score, double[] Point) Refine(GaussianProcess gp, IAcquisition acquisition, SearchBox box, double[] start, double startScore)
    {
        var continuous = _encoder.ActiveContinuous(start); // an inactive parameter's feature stays imputed
        if (continuous.Count == 0)
        {
            return (startScore, start);
        }

        box = Covering(BoxFor(start, box), start); // a coordinate move or a global candidate climbs from where it lies
        var point = (double[])start.Clone();
        var dMean = new double[point.Length];
        var dVariance = new double[point.Length];
        var dFeasible = new double[point.Length]; // zero without a feasibility model
        double Objective(ReadOnlySpan<double> v, Span<double> gradient)
        {
            for (var i = 0; i < continuous.Count; i++)
            {
                point[continuous[i]] = v[i];
            }

            var (mean, variance) = gp.PredictWithGradient(point, dMean, dVariance);
            var sd = Math.Sqrt(variance);
            var value = acquisition.Value(mean, sd, out var dA_dMean, out var dA_dSd);
            if (Feasibility is not null)
            {
                value += Feasibility.LogProbability(point, dFeasible);
            }

            for (var i = 0; i < continuous.Count; i++)
            {
                var f = continuous[i];
                gradient[i] = (dA_dMean * dMean[f]) + (dA_dSd * dVariance[f] / (2 * sd)) + dFeasible[f];
            }

            return value;
        }

        var x = continuous.Select(f => start[f]).ToArray();
        var lower = continuous.Select(f => box.Lower[f]).ToArray();
        var upper = continuous.Select(f => box.Upper[f]).ToArray();
        var value = BoxGradientAscent.Maximize(Objective, x, _refineIterations, lower, upper);
        if (!(value > startScore))
        {
            return (startScore, start);
        }

        var result = (double[])start.Clone();
        for (var i = 0; i < continuous.Count; i++)
        {
            result[continuous[i]] = x[i];
        }

        return (value, result);
    }

    /// <summary>
    /// The bounds of <paramref name="point"/>: <paramref name="box"/>, or in a conditional space the whole unit box when
    /// the point lies in another branch than the box's centre. A trust region laid around the best point of one branch
    /// held the shared parameters of every other branch near that branch's best values, where another branch's best
    /// need not lie (docs/gp-conditional.md).
    /// </summary>
    private SearchBox BoxFor(ReadOnlySpan<double> point, SearchBox box) =>
        box.Centre is not { } centre || _encoder.SameBranch(point, centre) ? box : UnitBox;

    private SearchBox UnitBox => _unitBox ??= SearchBox.Unit(_encoder.Dimension);

    /// <summary><paramref name="box"/> widened to hold <paramref name="point"/> (itself when it does).</summary>
    private static SearchBox Covering(SearchBox box, double[] point)
    {
        if (box.Contains(point))
        {
            return box;
        }

        var lower = (double[])box.Lower.Clone();
        var upper = (double[])box.Upper.Clone();
        for (var f = 0; f < point.Length; f++)
        {
            lower[f] = Math.Min(lower[f], point[f]);
            upper[f] = Math.Max(upper[f], point[f]);
        }

        return box with { Lower = lower, Upper = upper };
    }

    private SearchBox? _unitBox;

    /// <summary>
    /// Distance in feature space within which a candidate counts as the same question as an open suggestion:
    /// <see cref="PendingRadiusFraction"/> of the box's mean side (geometric mean over the continuous features), at most
    /// <see cref="MaxPendingRadius"/>. Kriging believer fantasies shrink the variance there, but where the model is sure
    /// of a steep slope log-EI still prefers a point a hair away from an open one (8 open suggestions on Branin were
    /// 4e-4 apart without it). A fixed radius, though, kept open suggestions from converging together once a trust
    /// region had shrunk around the optimum (Branin with 8 open, regret at 50 evaluations 6.6e-3 with 0.02), hence one
    /// that shrinks with the region. No radius at all does better at 50 evaluations and worse at 200 (docs/gp.md).
    /// </summary>
    public double PendingRadius(SearchBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var continuous = _encoder.ContinuousFeatures;
        if (continuous.Count == 0)
        {
            return MaxPendingRadius;
        }

        var logSide = continuous.Average(f => Math.Log(Math.Max(box.Upper[f] - box.Lower[f], 1e-12)));
        return Math.Min(MaxPendingRadius, PendingRadiusFraction * Math.Exp(logSide));
    }

    /// <summary>The pending radius as a fraction of the search box's mean side.</summary>
    public const double PendingRadiusFraction = 0.05;

    /// <summary>The pending radius in the whole unit box.</summary>
    public const double MaxPendingRadius = 0.02;

    internal static bool NearAny(ReadOnlySpan<double> point, IReadOnlyList<double[]> others, double radius)
    {
        foreach (var other in others)
        {
            var sum = 0.0;
            for (var i = 0; i < point.Length; i++)
            {
                var d = point[i] - other[i];
                sum += d * d;
            }

            if (sum < radius * radius)
            {
                return true;
            }
        }

        return false;
    }
}
