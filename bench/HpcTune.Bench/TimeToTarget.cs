namespace HpcTune.Bench;

/// <summary>
/// What open suggestions buy in time: for each sequential median regret at an evaluation count n, the first
/// checkpoint m at which the median with k open suggestions is as good, and n·k / m, the wall-clock speedup of k
/// equally fast workers over one (m evaluations take about m / k evaluation times when k run at once). The ratio of
/// the two medians at n is printed beside it: the figure "k open within 1.5× of sequential at n evaluations" asks
/// about. Medians at the checkpoints of <c>--at</c> only, so a fine list (every 5 evaluations) gives a sharp m.
/// </summary>
internal static class TimeToTarget
{
    /// <summary>Median regret per checkpoint of one function, algorithm and open count.</summary>
    public sealed record Curve(string Function, string Algorithm, int Open, IReadOnlyDictionary<int, double> Medians);

    public static List<string[]> Rows(IReadOnlyList<Curve> curves, IReadOnlyList<int> targets)
    {
        var rows = new List<string[]>();
        foreach (var parallel in curves.Where(c => c.Open > 1))
        {
            var sequential = curves.FirstOrDefault(c => c.Open == 1 && c.Function == parallel.Function && c.Algorithm == parallel.Algorithm);
            if (sequential is null)
            {
                continue;
            }

            foreach (var n in targets.Where(sequential.Medians.ContainsKey))
            {
                var target = sequential.Medians[n];
                var reached = parallel.Medians.Keys.Order().Where(m => parallel.Medians[m] <= target).Cast<int?>().FirstOrDefault();
                var ratio = parallel.Medians.TryGetValue(n, out var atN) && target > 0 ? Table.Number(atN / target) : "";
                rows.Add([parallel.Function, parallel.Algorithm, parallel.Open.ToString(), n.ToString(), Table.Number(target), ratio,
                    reached?.ToString() ?? $">{parallel.Medians.Keys.Max()}", reached is { } m ? Table.Number((double)n * parallel.Open / m) : ""]);
            }
        }

        return rows;
    }

    public static readonly string[] Header = ["function", "algorithm", "open", "sequential_evaluations", "sequential_median", "open_over_sequential_at_n", "open_evaluations_to_reach", "speedup"];
}
