namespace HpcTune.Gp.MultiObjective;

/// <summary>
/// The region below a reference point that no point of a front weakly dominates (all objectives minimized), cut into
/// columns: a grid over the first k − 1 objectives, whose lines are the front's coordinates, and in each grid cell
/// the interval of the last objective from −∞ up to the lowest value of a point dominating the cell's lower corner
/// (the reference when none does). Two objectives give m + 1 strips; k give at most (m + 1)^(k − 1) columns.
/// </summary>
internal sealed class NonDominatedCells
{
    /// <summary>The most columns kept: a larger front is thinned (<see cref="Thin"/>) until its columns fit.</summary>
    public const int MaxColumns = 20_000;

    private NonDominatedCells(double[][] grid, int[][] columnIntervals, int[] columnTop, double[] tops)
    {
        Grid = grid;
        ColumnIntervals = columnIntervals;
        ColumnTop = columnTop;
        Tops = tops;
    }

    /// <summary>Grid lines of each of the first k − 1 objectives: −∞, the front's coordinates below the reference, the reference.</summary>
    public double[][] Grid { get; }

    /// <summary>Each column's interval index in each grid dimension (interval a spans Grid[j][a] to Grid[j][a + 1]).</summary>
    public int[][] ColumnIntervals { get; }

    /// <summary>Each column's upper bound in the last objective, as an index into <see cref="Tops"/>.</summary>
    public int[] ColumnTop { get; }

    /// <summary>The distinct upper bounds of the last objective.</summary>
    public double[] Tops { get; }

    /// <summary>The number of objectives.</summary>
    public int Objectives => Grid.Length + 1;

    /// <summary>The cells of <paramref name="front"/> (points with k ≥ 2 coordinates, minimized) below <paramref name="reference"/>.</summary>
    public static NonDominatedCells Of(IReadOnlyList<double[]> front, IReadOnlyList<double> reference)
    {
        var k = reference.Count;
        var inside = front.Where(p => Enumerable.Range(0, k).All(i => p[i] < reference[i])).ToList();
        inside = Thin(Tuning.Hypervolume.NonDominated(inside, k), k);
        var grid = new double[k - 1][];
        for (var j = 0; j < k - 1; j++)
        {
            grid[j] = [double.NegativeInfinity, .. inside.Select(p => p[j]).Distinct().Order(), reference[j]];
        }

        var sizes = grid.Select(g => g.Length - 1).ToArray();
        var count = sizes.Aggregate(1, (a, b) => a * b);
        var intervals = new int[count][];
        var tops = new List<double>();
        var topIndex = new Dictionary<double, int>();
        var columnTop = new int[count];
        var index = new int[k - 1];
        for (var c = 0; c < count; c++)
        {
            var rest = c;
            for (var j = k - 2; j >= 0; j--)
            {
                index[j] = rest % sizes[j];
                rest /= sizes[j];
            }

            intervals[c] = [.. index];
            var top = reference[k - 1];
            foreach (var p in inside)
            {
                var dominatesCorner = true;
                for (var j = 0; j < k - 1 && dominatesCorner; j++)
                {
                    dominatesCorner = p[j] <= grid[j][index[j]];
                }

                if (dominatesCorner && p[k - 1] < top)
                {
                    top = p[k - 1];
                }
            }

            if (!topIndex.TryGetValue(top, out var t))
            {
                t = topIndex[top] = tops.Count;
                tops.Add(top);
            }

            columnTop[c] = t;
        }

        return new NonDominatedCells(grid, intervals, columnTop, [.. tops]);
    }

    /// <summary>
    /// A front whose columns would exceed <see cref="MaxColumns"/> (three or four objectives and a large front) keeps
    /// evenly spaced points in order of its first objective, so that the acquisition's cost stays bounded.
    /// </summary>
    private static List<double[]> Thin(List<double[]> front, int k)
    {
        var limit = (int)Math.Floor(Math.Pow(MaxColumns, 1.0 / (k - 1))) - 1;
        if (front.Count <= limit)
        {
            return front;
        }

        var sorted = front.OrderBy(p => p[0]).ToList();
        return [.. Enumerable.Range(0, limit).Select(i => sorted[(int)((long)i * (sorted.Count - 1) / Math.Max(1, limit - 1))]).Distinct()];
    }
}
