using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Sampling;
using HpcTune.Sampling;
using HpcTune.Space;

namespace HpcTune.Gp.MultiObjective;

/// <summary>
/// Maximizes an acquisition given for batches of points (m × D row-major features to m scores) over the unit box:
/// scrambled Sobol candidates plus Gaussian steps around anchors, the best few refined by a derivative-free local
/// search with shrinking steps, then the first point in order of score that is neither taken nor within
/// <see cref="AcquisitionOptimizer.MaxPendingRadius"/> of an open suggestion.
/// </summary>
internal sealed class CandidateSearch(FeatureEncoder encoder, int candidates = 512, int refinements = 3)
{
    private const int LocalPerScale = 16;
    private static readonly double[] AnchorScales = [0.005, 0.02, 0.1];
    private static readonly double[] RefineScales = [0.03, 0.01, 0.003, 0.001];

    /// <summary>The best new assignment, or null when every candidate is taken or near an open suggestion.</summary>
    public Assignment? Best(Action<double[], int, double[]> score, IReadOnlyList<double[]> anchors, IReadOnlySet<Assignment> taken, IReadOnlyList<double[]> pending, long seed)
    {
        var d = encoder.Dimension;
        var random = new Random(unchecked((int)SplitMix64.Derive(seed, 0x5345_4152)));
        var points = Candidates(anchors, seed, random, out var m);
        var scores = new double[m];
        score(points, m, scores);
        var order = Enumerable.Range(0, m).OrderByDescending(j => scores[j]).ToArray();
        var refined = new List<(double Score, double[] Point)>();
        foreach (var j in order.Take(refinements))
        {
            refined.Add(Refine(score, points.AsSpan(j * d, d).ToArray(), scores[j], random));
        }

        foreach (var (_, point) in refined.OrderByDescending(r => r.Score).Concat(order.Select(j => (scores[j], points.AsSpan(j * d, d).ToArray()))))
        {
            if (AcquisitionOptimizer.NearAny(point, pending, AcquisitionOptimizer.MaxPendingRadius))
            {
                continue;
            }

            var assignment = encoder.Decode(point);
            if (!taken.Contains(assignment))
            {
                return assignment;
            }
        }

        return null;
    }

    private double[] Candidates(IReadOnlyList<double[]> anchors, long seed, Random random, out int count)
    {
        var d = encoder.Dimension;
        var parameters = encoder.ParameterCount;
        var local = anchors.Count * AnchorScales.Length * LocalPerScale;
        count = candidates + local;
        var points = new double[count * d];
        var sobol = parameters <= SobolSequence.MaxDimension ? new SobolSequence(parameters, seed) : null;
        var unit = new double[parameters];
        for (var j = 0; j < candidates; j++)
        {
            if (sobol is not null)
            {
                sobol.Point(j, unit);
            }
            else
            {
                for (var p = 0; p < parameters; p++)
                {
                    unit[p] = random.NextDouble();
                }
            }

            encoder.FromUnit(unit, points.AsSpan(j * d, d));
        }

        for (var j = candidates; j < count; j++)
        {
            var anchor = anchors[(j - candidates) / (AnchorScales.Length * LocalPerScale)];
            Step(anchor, AnchorScales[(j - candidates) % AnchorScales.Length], random, points.AsSpan(j * d, d));
        }

        return points;
    }

    /// <summary>Hill climbing from <paramref name="start"/>: a batch of Gaussian steps at each scale in turn, moving to the best when it improves.</summary>
    private (double Score, double[] Point) Refine(Action<double[], int, double[]> score, double[] start, double startScore, Random random)
    {
        var d = encoder.Dimension;
        if (encoder.ContinuousFeatures.Count == 0)
        {
            return (startScore, start);
        }

        var (best, bestScore) = (start, startScore);
        var batch = new double[LocalPerScale * d];
        var scores = new double[LocalPerScale];
        foreach (var scale in RefineScales)
        {
            for (var j = 0; j < LocalPerScale; j++)
            {
                Step(best, scale, random, batch.AsSpan(j * d, d));
            }

            score(batch, LocalPerScale, scores);
            var top = Enumerable.Range(0, LocalPerScale).MaxBy(j => scores[j]);
            if (scores[top] > bestScore)
            {
                (best, bestScore) = (batch.AsSpan(top * d, d).ToArray(), scores[top]);
            }
        }

        return (bestScore, best);
    }

    private void Step(double[] from, double scale, Random random, Span<double> target)
    {
        from.CopyTo(target);
        foreach (var f in encoder.ContinuousFeatures)
        {
            target[f] = Math.Clamp(from[f] + (scale * NormalMath.Sample(random)), 0, 1);
        }
    }
}
