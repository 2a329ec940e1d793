namespace HpcTune.Gp.MultiObjective;

/// <summary>
/// The seam for constraint and failure models: log P(feasible) of candidate points, added to the multi-objective
/// acquisition's log value (log EHVI + log P(feasible), or ParEGO's log EI + log P(feasible)). None by default.
/// </summary>
internal interface IFeasibilityScore
{
    /// <summary>Adds log P(feasible) of the m points of <paramref name="points"/> (m × D row-major features) to <paramref name="scores"/>.</summary>
    void AddLogFeasibility(ReadOnlySpan<double> points, int m, Span<double> scores);
}
