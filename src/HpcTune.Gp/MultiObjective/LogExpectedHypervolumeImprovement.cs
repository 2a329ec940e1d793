using HpcTune.Gp.Acquisition;

namespace HpcTune.Gp.MultiObjective;

/// <summary>
/// log EHVI: the logarithm of the expected hypervolume improvement of a point whose objectives (minimized) are
/// independent Gaussians, computed exactly over <see cref="NonDominatedCells"/>. The improvement is the volume of the
/// non-dominated region the point dominates, Σ over cells of Π_j (u_j − max(l_j, Y_j))⁺; with independent objectives
/// each factor's expectation is ψ_j(u_j) − ψ_j(l_j), where ψ(a) = E[(a − Y)⁺] = σ h((a − μ)/σ) and h(z) = φ(z) + zΦ(z)
/// is expected improvement's. Sums are taken in log space (log h as <see cref="NormalMath.LogH(double)"/>), so the
/// acquisition keeps its gradient of preference far into the tails where the improvement underflows (Ament et al.
/// 2023, "Unexpected improvements to expected improvement").
/// </summary>
internal sealed class LogExpectedHypervolumeImprovement(NonDominatedCells cells)
{
    /// <summary>log EHVI at a point whose objectives have means <paramref name="mean"/> and standard deviations <paramref name="sd"/>.</summary>
    public double Value(ReadOnlySpan<double> mean, ReadOnlySpan<double> sd)
    {
        var k = cells.Objectives;
        var logDiff = new double[k - 1][];
        for (var j = 0; j < k - 1; j++)
        {
            var grid = cells.Grid[j];
            var logPsi = new double[grid.Length];
            for (var a = 0; a < grid.Length; a++)
            {
                logPsi[a] = LogPsi(grid[a], mean[j], sd[j]);
            }

            logDiff[j] = new double[grid.Length - 1];
            for (var a = 0; a < grid.Length - 1; a++)
            {
                logDiff[j][a] = logPsi[a + 1] + NormalMath.Log1MinusExp(Math.Min(logPsi[a] - logPsi[a + 1], 0));
            }
        }

        var tops = cells.Tops;
        var logTop = new double[tops.Length];
        for (var t = 0; t < tops.Length; t++)
        {
            logTop[t] = LogPsi(tops[t], mean[k - 1], sd[k - 1]);
        }

        var columns = cells.ColumnTop.Length;
        Span<double> terms = columns <= 4096 ? stackalloc double[columns] : new double[columns];
        var max = double.NegativeInfinity;
        for (var c = 0; c < columns; c++)
        {
            var term = logTop[cells.ColumnTop[c]];
            var intervals = cells.ColumnIntervals[c];
            for (var j = 0; j < k - 1; j++)
            {
                term += logDiff[j][intervals[j]];
            }

            terms[c] = term;
            max = Math.Max(max, term);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var term in terms)
        {
            sum += Math.Exp(term - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>log ψ(a) = log E[(a − Y)⁺] for Y ~ N(μ, σ²); −∞ at a = −∞.</summary>
    internal static double LogPsi(double a, double mean, double sd) =>
        double.IsNegativeInfinity(a) ? double.NegativeInfinity : Math.Log(sd) + NormalMath.LogH((a - mean) / sd);
}
