namespace HpcTune.Gp.MultiObjective;

/// <summary>
/// The seam for constraint and failure models: log P(feasible) of candidate points, added to the multi-objective
/// acquisition's log value (log EHVI + log P(feasible), or ParEGO's log EI + log P(feasible)). The sampler builds one
/// from the study's constraint metrics and failures (<see cref="Sampling.FeasibilityModel"/>); tests may set their own.
/// </summary>
internal interface IFeasibilityScore
{
    /// <summary>
    /// Adds log P(feasible) of m points given feature-major (<paramref name="pointsT"/>[f * m + j] is feature f of point j)
    /// to <paramref name="scores"/>.
    /// </summary>
    void AddLogFeasibility(ReadOnlySpan<double> pointsT, int m, Span<double> scores);
}
