using HpcTune.Gp.Model;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// The observations a local model is fitted on once a study has more than <see cref="GpOptions.LocalModelThreshold"/>
/// (docs/gp-scale.md): the best few by merit, wherever they lie, and the rest nearest the search's best point in the
/// kernel's own distance, Σ_f ((x_f − c_f) / ℓ_f)². Suggestions are searched in a trust region around that point, where the
/// Matérn kernel gives far observations almost no weight, so the nearest ones carry nearly all of the full model's
/// posterior there, at the cost of a fixed-size model instead of one of n.
/// </summary>
internal static class LocalModelData
{
    /// <summary>One observation in this many of the model is kept for its merit rather than its distance (at least one).</summary>
    public const int BestShare = 20;

    /// <summary>
    /// The indices of the <paramref name="size"/> observations kept, ascending: the best max(1, size / <see cref="BestShare"/>)
    /// by <paramref name="merit"/>, then the nearest to <paramref name="centre"/>; ties go to the earlier observation,
    /// so the choice depends on the data alone. All of them when there are no more than <paramref name="size"/>.
    /// </summary>
    public static int[] Select(IReadOnlyList<double[]> features, IReadOnlyList<double> merit, ReadOnlySpan<double> centre, GpHyperparameters hyperparameters, int size)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(merit);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
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

            distances[i] = kept[i] ? double.NegativeInfinity : sum; // the best come first and are counted once
            order[i] = i;
        }

        // A stable order: equal distances keep their indices' order.
        Array.Sort(order, (a, b) => distances[a] != distances[b] ? distances[a].CompareTo(distances[b]) : a.CompareTo(b));
        var selected = order.AsSpan(0, size).ToArray();
        Array.Sort(selected);
        return selected;
    }
}
