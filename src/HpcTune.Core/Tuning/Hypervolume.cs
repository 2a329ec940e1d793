namespace HpcTune.Tuning;

/// <summary>
/// The exact hypervolume of a set of points in 1 to 4 dimensions, all minimized: the volume of the region that some
/// point weakly dominates and that the reference point bounds. Points not strictly better than the reference point
/// on every coordinate add nothing. Two dimensions by a sweep (O(m log m)); more by slicing along the last
/// coordinate (Hypervolume by Slicing Objectives: O(m² log m) in three dimensions, O(m³ log m) in four), which
/// is quick for fronts of hundreds.
/// </summary>
internal static class Hypervolume
{
    /// <summary>The hypervolume of <paramref name="points"/> (minimization) bounded by <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">A point whose dimension differs from the reference point's.</exception>
    public static double Of(IEnumerable<double[]> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        var k = reference.Count;
        var inside = new List<double[]>();
        foreach (var point in points)
        {
            if (point.Length != k)
            {
                throw new ArgumentException($"a point has {point.Length} coordinates, the reference point {k}", nameof(points));
            }

            if (Enumerable.Range(0, k).All(i => point[i] < reference[i]))
            {
                inside.Add(point);
            }
        }

        return inside.Count == 0 ? 0 : Slice(inside, [.. reference], k);
    }

    /// <summary>The hypervolume of the first <paramref name="k"/> coordinates of <paramref name="points"/>, all inside the reference box.</summary>
    private static double Slice(List<double[]> points, double[] reference, int k)
    {
        if (k == 1)
        {
            return reference[0] - points.Min(p => p[0]);
        }

        if (k == 2)
        {
            return Sweep(points, reference);
        }

        // Slabs between consecutive values of the last coordinate: each is covered by the points at or below it.
        var sorted = points.OrderBy(p => p[k - 1]).ToList();
        var volume = 0.0;
        var below = new List<double[]>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            below.Add(sorted[i]);
            var top = i + 1 < sorted.Count ? sorted[i + 1][k - 1] : reference[k - 1];
            var depth = top - sorted[i][k - 1];
            if (depth > 0)
            {
                volume += depth * Slice(below, reference, k - 1); // dominated points add nothing below
            }
        }

        return volume;
    }

    /// <summary>
    /// The study's Pareto front's hypervolume, with its reference point in the metrics' own units: unless the caller
    /// gives one, the nadir of the feasible completed trials (the worst value of each objective) moved away from the
    /// best by 10 % of their range (by 10 % of the value's magnitude, at least 0.1, where every value is equal), so that
    /// the nadir's own trials count. Null for a single objective or before a feasible completed trial.
    /// </summary>
    public static (double Value, double[] Reference)? OfFront(StudyState state, IReadOnlyList<double>? reference = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var objectives = state.Definition.Objectives;
        if (objectives.Count < 2 || state.ParetoFront.Count == 0)
        {
            return null;
        }

        var feasible = state.Trials.Where(t => t.State == Trials.TrialState.Completed && t.Values is not null && state.IsFeasible(t)).ToList();
        var signs = objectives.Select(m => m.Objective == Study.MetricObjective.Maximize ? -1.0 : 1.0).ToArray();
        var chosen = reference is null ? DefaultReference(feasible.Select(t => objectives.Select(m => t.Values![m.Name]).ToArray()).ToList(), signs) : [.. reference];
        var minimized = chosen.Select((r, i) => signs[i] * r).ToArray();
        var front = state.ParetoFront.Select(t => objectives.Select((m, i) => signs[i] * t.Values![m.Name]).ToArray());
        return (Of(front, minimized), chosen);
    }

    /// <summary>The fraction of the observed range by which the default reference point lies beyond the nadir.</summary>
    public const double ReferenceMargin = 0.1;

    /// <summary>
    /// The default reference point of <paramref name="values"/> (one row per trial, in the metrics' units; signs[i] is
    /// +1 for a minimized objective, −1 for a maximized one): the nadir moved away from the best by
    /// <see cref="ReferenceMargin"/> of the range.
    /// </summary>
    internal static double[] DefaultReference(IReadOnlyList<double[]> values, IReadOnlyList<double> signs)
    {
        var reference = new double[signs.Count];
        for (var i = 0; i < signs.Count; i++)
        {
            var column = values.Select(v => signs[i] * v[i]).ToList();
            var worst = column.Max();
            var range = worst - column.Min();
            var margin = range > 0 ? ReferenceMargin * range : Math.Max(ReferenceMargin * Math.Abs(worst), ReferenceMargin);
            reference[i] = signs[i] * (worst + margin);
        }

        return reference;
    }

    /// <summary>Two dimensions: the staircase's area, sweeping the first coordinate upward.</summary>
    private static double Sweep(List<double[]> points, double[] reference)
    {
        var area = 0.0;
        var ceiling = reference[1];
        foreach (var p in points.OrderBy(p => p[0]).ThenBy(p => p[1]))
        {
            if (p[1] < ceiling)
            {
                area += (reference[0] - p[0]) * (ceiling - p[1]);
                ceiling = p[1];
            }
        }

        return area;
    }

    /// <summary>The points no other one weakly dominates on the first <paramref name="k"/> coordinates (one of equal points kept).</summary>
    internal static List<double[]> NonDominated(IReadOnlyList<double[]> points, int k)
    {
        var kept = new List<double[]>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var dominated = false;
            for (var j = 0; j < points.Count && !dominated; j++)
            {
                if (j != i && WeaklyDominates(points[j], points[i], k) && (j < i || !WeaklyDominates(points[i], points[j], k)))
                {
                    dominated = true;
                }
            }

            if (!dominated)
            {
                kept.Add(points[i]);
            }
        }

        return kept;
    }

    private static bool WeaklyDominates(double[] a, double[] b, int k)
    {
        for (var i = 0; i < k; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }
        }

        return true;
    }
}
