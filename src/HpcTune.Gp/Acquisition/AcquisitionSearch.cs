using HpcTune.Gp.Model;
using HpcTune.Gp.Sampling;
using HpcTune.Space;

namespace HpcTune.Gp.Acquisition;

/// <summary>
/// One scored candidate set of an <see cref="AcquisitionOptimizer"/>, from which several suggestions can be taken in
/// turn: each taken one is added as pending (a fantasy), which shrinks the variance around it, and the next is the
/// best candidate under the updated posterior. Made by <see cref="AcquisitionOptimizer.Begin"/>.
/// </summary>
internal sealed class AcquisitionSearch
{
    private readonly AcquisitionOptimizer _optimizer;
    private readonly FeatureEncoder _encoder;
    private readonly GaussianProcess _gp;
    private readonly SearchBox _box;
    private readonly double[] _points;
    private readonly int _count;
    private readonly HashSet<Assignment> _taken;
    private readonly List<double[]> _pending;
    private readonly TrackedPoints? _tracked;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _score;
    private readonly double[]? _logFeasible; // log P(feasible) of each candidate, when the optimizer has a feasibility model

    internal AcquisitionSearch(AcquisitionOptimizer optimizer, FeatureEncoder encoder, GaussianProcess gp, SearchBox box, double[] points, double[] transposed, int count, IReadOnlySet<Assignment> taken, IReadOnlyList<double[]> pending, bool track)
    {
        _optimizer = optimizer;
        _encoder = encoder;
        _gp = gp;
        _box = box;
        _points = points;
        _count = count;
        _taken = [.. taken];
        _pending = [.. pending];
        _score = new double[count];
        if (track)
        {
            _tracked = gp.Track(transposed, count);
            _mean = _tracked.MeanBuffer;
            _variance = _tracked.VarianceBuffer;
        }
        else
        {
            _mean = new double[count];
            _variance = new double[count];
            gp.Predict(transposed, count, _mean, _variance);
        }

        if (optimizer.Feasibility is { } feasibility)
        {
            // Scored where each candidate would be evaluated (ints rounded, one category): a failure at n = 8 says
            // little about the feature 0.95 between 7 and 8, which decodes to 8 all the same.
            var d = encoder.Dimension;
            var snapped = new double[d * count];
            var features = new double[d];
            for (var j = 0; j < count; j++)
            {
                encoder.Encode(encoder.Decode(points.AsSpan(j * d, d)), features);
                for (var f = 0; f < d; f++)
                {
                    snapped[(f * count) + j] = features[f];
                }
            }

            _logFeasible = new double[count];
            feasibility.LogProbabilities(snapped, count, _logFeasible);
        }
    }

    /// <summary>
    /// The most promising assignment neither taken nor within the pending radius of a pending point, after refining the
    /// best <paramref name="refinements"/> candidates by gradient ascent; null when every candidate is taken.
    /// </summary>
    /// <param name="acquisition">What the candidates are scored by, and what the refinement climbs.</param>
    /// <param name="refinements">How many of the best candidates are refined.</param>
    /// <param name="candidateScore">
    /// When given (a tracked search whose model has fantasies), what the candidates, and the refinements' end points,
    /// are scored by instead.
    /// </param>
    internal Assignment? Next(IAcquisition acquisition, int refinements, IntegratedExpectedImprovement? candidateScore)
    {
        ArgumentNullException.ThrowIfNull(acquisition);
        var d = _encoder.Dimension;
        var integrated = candidateScore is not null && _tracked is not null && _gp.Count > _gp.ObservationCount ? candidateScore : null;
        if (integrated is not null)
        {
            integrated.Score(_gp, _tracked!, _score);
        }
        else
        {
            for (var j = 0; j < _count; j++)
            {
                _score[j] = acquisition.Score(_mean[j], Math.Sqrt(_variance[j]));
            }
        }

        if (_logFeasible is not null)
        {
            for (var j = 0; j < _count; j++)
            {
                _score[j] += _logFeasible[j];
            }
        }

        var order = Enumerable.Range(0, _count).OrderByDescending(j => _score[j]).ToArray();
        var refined = new List<(double Score, double[] Point)>();
        foreach (var j in order.Take(refinements))
        {
            var start = _points.AsSpan(j * d, d).ToArray();
            if (integrated is null)
            {
                var (climbed, end) = _optimizer.Refine(_gp, acquisition, _box, start, _score[j]);
                // The climb saw log P(feasible) at raw features; the end is ranked, as the candidates are, where it decodes to.
                refined.Add(ReferenceEquals(end, start) || _optimizer.Feasibility is not { } model ? (climbed, end)
                    : (climbed - model.LogProbability(end) + model.LogProbability(Snap(end)), end));
                continue;
            }

            // The climb follows the believer's log-EI, whose gradient is cheap; the point it reaches is kept only
            // where the integrated acquisition, which ranks every candidate, also prefers it to the start.
            // Climbing the integrated acquisition itself (its exact gradient) refined worse (docs/gp.md).
            var (_, point) = _optimizer.Refine(_gp, acquisition, _box, start, acquisition.Score(_mean[j], Math.Sqrt(_variance[j])) + (_logFeasible?[j] ?? 0));
            var score = ReferenceEquals(point, start) ? _score[j] : integrated.ScoreAt(_gp, point) + (_optimizer.Feasibility?.LogProbability(Snap(point)) ?? 0);
            refined.Add(score > _score[j] ? (score, point) : (_score[j], start));
        }

        var radius = _optimizer.PendingRadius(_box);
        foreach (var (_, point) in refined.OrderByDescending(r => r.Score).Concat(order.Select(j => (_score[j], _points.AsSpan(j * d, d).ToArray()))))
        {
            if (AcquisitionOptimizer.NearAny(point, _pending, radius))
            {
                continue;
            }

            var assignment = _encoder.Decode(point);
            if (!_taken.Contains(assignment))
            {
                return assignment;
            }
        }

        return null;
    }

    /// <summary>The features of the assignment <paramref name="point"/> decodes to.</summary>
    private double[] Snap(double[] point)
    {
        var features = new double[point.Length];
        _encoder.Encode(_encoder.Decode(point), features);
        return features;
    }

    /// <inheritdoc cref="Next(IAcquisition, int, IntegratedExpectedImprovement?)"/>
    public Assignment? Next(IAcquisition acquisition, int refinements) => Next(acquisition, refinements, null);

    /// <summary>Whether the model is as this search left it (nothing else has changed it since).</summary>
    public bool IsCurrent => _tracked is null || _tracked.Version == _gp.Version;

    /// <summary>
    /// Makes <paramref name="assignment"/> pending: a fantasy in the model (which the caller clears with the model's
    /// others), the tracked candidates' variances updated, and neither it nor its neighbourhood suggested again.
    /// </summary>
    /// <returns>Its feature vector.</returns>
    public double[] Add(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (_tracked is null)
        {
            throw new InvalidOperationException("this search was begun without tracking");
        }

        var features = new double[_encoder.Dimension];
        _encoder.Encode(assignment, features);
        _gp.AddFantasy(features, _tracked);
        _pending.Add(features);
        _taken.Add(assignment);
        return features;
    }
}
