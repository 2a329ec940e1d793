using HpcTune.Gp.Model;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// The observations a local model is fitted on once a study has more than <see cref="GpOptions.LocalModelThreshold"/>
/// (docs/gp-scale.md): the best few by merit, wherever they lie; most of the rest nearest the search's best point in the
/// kernel's own distance, Σ_f ((x_f − c_f) / ℓ_f)²; and a sample of the farther ones spread evenly over their distances.
/// Suggestions are searched in a trust region around that point, where the nearest observations carry most of the full
/// model's posterior; the far sample keeps the shape of the surface around them (the slope and curvature that the far
/// observations pin down under long length scales), which a model of the nearest alone lost on smooth functions.
/// </summary>
internal static class LocalModelData
{
    /// <summary>One observation in this many of the model is kept for its merit rather than its distance (at least one).</summary>
    public const int BestShare = 20;

    /// <summary>
    /// The indices of the <paramref name="size"/> observations kept, ascending: the best max(1, size / <see cref="BestShare"/>)
    /// by <paramref name="merit"/>; then ⌊<paramref name="farShare"/> · size⌋ of the others spread over the ranks by
    /// distance to <paramref name="centre"/> of those not among the nearest (the middle of each of as many equal runs of
    /// ranks); and the nearest for the rest. Ties go to the earlier observation, so the choice depends on the data alone.
    /// All of them when there are no more than <paramref name="size"/>.
    /// </summary>
    public static int[] Select(IReadOnlyList<double[]> features, IReadOnlyList<double> merit, ReadOnlySpan<double> centre, GpHyperparameters hyperparameters, int size, double farShare = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(merit);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(farShare, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(farShare, 1);
        var n = features.Count;
        if (merit.Count != n)
        {
            throw new ArgumentException($"expected a merit for each of the {n} observations, got {merit.Count}", nameof(merit));
        }

        if (n <= size)
        {
            return [.. Enumerable.Range(0, n)];
        }

        var kept = new bool[n];
        var best = Math.Max(1, size / BestShare);
        foreach (var i in Enumerable.Range(0, n).OrderByDescending(i => merit[i]).ThenBy(i => i).Take(best))
        {
            kept[i] = true;
        }

        var order = ByDistance(features, centre, hyperparameters, kept);
        var far = Math.Min((int)(farShare * size), size - best);
        var nearest = size - best - far;
        var selected = new List<int>(size);
        selected.AddRange(order.AsSpan(0, best + nearest)); // the best come first in the order
        var rest = n - best - nearest;
        for (var j = 0; j < far; j++)
        {
            selected.Add(order[best + nearest + (int)((j + 0.5) * rest / far)]);
        }

        selected.Sort();
        return [.. selected];
    }

    /// <summary>
    /// The observations nearest <paramref name="centre"/> first, in the distance of <paramref name="hyperparameters"/>'
    /// length scales (those marked in <paramref name="first"/> before all others); equal distances in index order.
    /// </summary>
    internal static int[] ByDistance(IReadOnlyList<double[]> features, ReadOnlySpan<double> centre, GpHyperparameters hyperparameters, bool[]? first = null)
    {
        var n = features.Count;
        var d = centre.Length;
        var inverse = new double[d];
        for (var f = 0; f < d; f++)
        {
            inverse[f] = 1 / hyperparameters.Lengthscale(f);
        }

        var distances = new double[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            var x = features[i];
            var sum = 0.0;
            for (var f = 0; f < d; f++)
            {
                var z = (x[f] - centre[f]) * inverse[f];
                sum += z * z;
            }

            distances[i] = first is not null && first[i] ? double.NegativeInfinity : sum;
            order[i] = i;
        }

        // A stable order: equal distances keep their indices' order.
        Array.Sort(order, (a, b) => distances[a] != distances[b] ? distances[a].CompareTo(distances[b]) : a.CompareTo(b));
        return order;
    }
}
