namespace HpcTune.Gp.Sampling;

/// <summary>
/// When the coordinate moves of <see cref="GpOptions.CoordinateMoves"/> join a suggestion's candidates (the study's
/// <c>coordinate_moves_when</c>; docs/gp-rugged.md).
/// </summary>
internal enum CoordinateMoveSchedule
{
    /// <summary>
    /// While the trust region stalls, as <see cref="Stalled"/>, and only while the moves pay: once results of
    /// suggestions made with the moves on have gone <see cref="GpOptions.CoordinateMoveEpisodes"/> stalls' worth in a row
    /// without improving, the moves are off (<see cref="TrustRegionState.MovesOff"/>), and come back for one stall's
    /// worth after 1, 2, 4, … stalls without them (<see cref="GpOptions.CoordinateMoveBackOff"/>). A stalling region is
    /// what a converged single basin looks like too, where a move is an evaluation lost (Rosenbrock-4, sequentially at
    /// 200 evaluations 0.147 → 0.289 with <see cref="Stalled"/>, 0.248 with this; docs/gp-rugged.md).
    /// </summary>
    Paying,

    /// <summary>
    /// Only while the trust region stalls (<see cref="TrustRegionState.Stalled"/>): moves every suggestion cost
    /// single-basin functions their polish (Rosenbrock-4 at 200 evaluations 0.147 → 0.294).
    /// </summary>
    Stalled,

    /// <summary>At every model-based suggestion in a trust region.</summary>
    Always,
}
