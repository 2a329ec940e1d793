namespace HpcTune.Gp.Sampling;

/// <summary>
/// When the coordinate moves of <see cref="GpOptions.CoordinateMoves"/> join a suggestion's candidates (the study's
/// <c>coordinate_moves_when</c>; docs/gp-rugged.md).
/// </summary>
internal enum CoordinateMoveSchedule
{
    /// <summary>
    /// Only while the trust region stalls (<see cref="TrustRegionState.Stalled"/>): moves every suggestion cost
    /// single-basin functions their polish (Rosenbrock-4 at 200 evaluations 0.147 → 0.294).
    /// </summary>
    Stalled,

    /// <summary>At every model-based suggestion in a trust region.</summary>
    Always,
}
