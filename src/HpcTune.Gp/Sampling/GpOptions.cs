using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Gp.Sampling;

/// <summary>How the GP sampler handles suggestions still open at other workers.</summary>
public enum PendingStrategy
{
    /// <summary>
    /// Kriging believer: each pending point is added to the model at its posterior mean (a rank-1 extension
    /// of the factor), which leaves the mean unchanged and shrinks the variance around it, so the next
    /// suggestion moves elsewhere. Used with log-EI (the default) and UCB; with log-EI the candidates are then scored
    /// by log-EI averaged over drawn outcomes of the pending points (<see cref="GpOptions.PendingOutcomeDraws"/>).
    /// </summary>
    KrigingBeliever,

    /// <summary>
    /// DeepHyper's qUCB: pending points are ignored and each suggestion draws its own κ from an exponential
    /// distribution, so parallel suggestions spread between exploitation and exploration. Cheaper; no fantasies.
    /// </summary>
    RandomizedUcb,
}

/// <summary>How objective values become model targets (before scaling).</summary>
public enum OutputWarping
{
    /// <summary>
    /// At each refit, hyperparameters are fitted both with and without <see cref="Log"/> and the one with the higher
    /// posterior density of the original values (the warp's log Jacobian included) is kept until the next refit.
    /// </summary>
    Auto,

    /// <summary>−log(1 + (best − v)/s), s the median distance to the best: resolution near the best, heavy tails tamed.</summary>
    Log,

    /// <summary>The values as they are.</summary>
    None,
}

/// <summary>Settings of the GP sampler.</summary>
public sealed record GpOptions
{
    /// <summary>How the features stand for a conditional space's inactive parameters (docs/gp-conditional.md).</summary>
    internal ConditionalEncoding Conditional { get; init; } = ConditionalEncoding.Indicators;

    /// <summary>In a conditional space, whether the trust region bounds only the candidates of its centre's branch (docs/gp-conditional.md).</summary>
    internal bool BranchRegions { get; init; } = true;

    /// <summary>log-EI (default) or UCB as the acquisition.</summary>
    public string Acquisition { get; init; } = "log_ei";

    /// <summary>κ of UCB, and the mean of qUCB's exponential κ.</summary>
    public double Kappa { get; init; } = 1.96;

    /// <summary>Sobol candidates scored per suggestion (before local ones), at small n; fewer at large n. 512 measured as good as 1024 at 60 % of the time.</summary>
    public int Candidates { get; init; } = 512;

    /// <summary>
    /// Random restarts of the hyperparameter fit besides the prior mode; default 0: at 20 seeds a restart changed
    /// no regret beyond seed noise and cost a third of the fitting time (docs/gp.md).
    /// </summary>
    public int FitRestarts { get; init; }

    /// <summary>How many of the best candidates are refined by gradient ascent.</summary>
    public int Refinements { get; init; } = 3;

    /// <summary>
    /// How many of the best candidates are refined for each suggestion after the first of a batch
    /// (<see cref="GpSampler.Suggest"/>).
    /// </summary>
    public int SeriesRefinements { get; init; } = 1;

    /// <summary>Iterations of each refinement.</summary>
    public int RefineIterations { get; init; } = 20;

    /// <summary>At most this many observations are used to fit hyperparameters (a seeded subset beyond).</summary>
    public int MaxFitPoints { get; init; } = 256;

    /// <summary>
    /// Past this many observations the model is fitted on <see cref="LocalModelSize"/> of them chosen around the search's
    /// best point (<see cref="LocalModelData"/>, docs/gp-scale.md); at or below it, on all of them.
    /// </summary>
    internal int LocalModelThreshold { get; init; } = 1000;

    /// <summary>
    /// How many observations the model past <see cref="LocalModelThreshold"/> is fitted on: as many as at the threshold,
    /// so the model changes little where it starts to be local (docs/gp-scale.md, "Quality").
    /// </summary>
    internal int LocalModelSize { get; init; } = 1000;

    /// <summary>The share of the local model's observations sampled from the far ones rather than the nearest (<see cref="LocalModelData"/>).</summary>
    internal double LocalModelFarShare { get; init; } = 0.1;

    /// <summary>
    /// With more trials open than this, a suggestion's model carries only this many of them as fantasies, those nearest
    /// the search's centre (<see cref="OpenTrialFantasies"/>); every open trial still keeps suggestions off itself.
    /// At or below it, all of them. The cost per suggestion against the cap is in docs/scale.md.
    /// </summary>
    internal int MaxFantasies { get; init; } = 256;

    /// <summary>Whether objective values are log-warped before scaling; by default the data decide at each refit.</summary>
    public OutputWarping Warping { get; init; } = OutputWarping.Auto;

    /// <summary>
    /// With log-EI and suggestions open, the candidates are scored by log-EI averaged over this many joint draws of
    /// the open suggestions' outcomes (<see cref="Acquisition.IntegratedExpectedImprovement"/>) instead of at their
    /// believed means; 0 scores them by the kriging believer alone. Default 32: 8 did worse, 128 no better at 1.7 × the
    /// optimizer time (docs/gp.md, "Open suggestions' outcomes").
    /// </summary>
    public int PendingOutcomeDraws { get; init; } = 32;

    /// <summary>
    /// Whether suggestions stay inside a TuRBO-style trust region around the best point (see docs/gp.md); default true.
    /// A study with constraint metrics searches the whole space all the same (docs/gp-constraints.md).
    /// </summary>
    public bool TrustRegion { get; init; } = true;

    /// <summary>
    /// Whether a study with constraint metrics also searches in the trust region (with <see cref="TrustRegion"/>); default
    /// false, the whole space, as Gardner et al. 2014, Optuna's GPSampler and BoTorch search constrained EI: the region,
    /// centred on the best feasible result, converged in whichever feasible basin it reached first and spent about two
    /// thirds of the toy's 100 evaluations within 0.01 of points already evaluated (docs/gp-constraints.md).
    /// </summary>
    internal bool ConstrainedTrustRegion { get; init; }

    /// <summary>
    /// Candidates per continuous parameter that move the incumbent along that parameter alone across its whole range,
    /// outside the trust region (the study's <c>coordinate_moves</c>; docs/gp-rugged.md); 0 adds none.
    /// </summary>
    internal int CoordinateMoves { get; init; }

    /// <summary>When the <see cref="CoordinateMoves"/> join the candidates (the study's <c>coordinate_moves_when</c>).</summary>
    internal CoordinateMoveSchedule CoordinateMovesWhen { get; init; } = CoordinateMoveSchedule.Paying;

    /// <summary>
    /// How many stalls' worth of results of suggestions made with the moves on may go in a row without improving before
    /// <see cref="CoordinateMoveSchedule.Paying"/> turns the moves off for the rest of the search.
    /// </summary>
    internal int CoordinateMoveEpisodes { get; init; } = 3;

    /// <summary>
    /// Whether moves that stopped paying (<see cref="CoordinateMoveSchedule.Paying"/>) come back for one stall's worth
    /// after 1, 2, 4, … stalls without them: a multi-basin function's moves may only pay once the model has seen more
    /// (Styblinski–Tang-10 at 200 evaluations: 56.5 without, 49.5 with; docs/gp-rugged.md).
    /// </summary>
    internal bool CoordinateMoveBackOff { get; init; } = true;

    /// <summary>The share of the quasi-random candidates spread over the whole space instead of the trust region (docs/gp-rugged.md).</summary>
    internal double GlobalShare { get; init; }

    /// <summary>
    /// Whether constraint metrics and failures are modelled (docs/gp-constraints.md); without, constraints are ignored
    /// and failures only count as open suggestions that never report, the baseline of that choice in the benchmarks.
    /// </summary>
    internal bool ModelFeasibility { get; init; } = true;

    /// <summary>
    /// With <see cref="ModelFeasibility"/>, failed trials also enter the objective's model as observations this many
    /// standard deviations below the worst result (negative: above it), Vizier's latent value for infeasible trials,
    /// so the mean falls towards the failing region and expected improvement stops pulling to its edge; null leaves
    /// them out of it. One standard deviation above the worst failed least where the optimum lies inside the feasible
    /// region, at nearly the fewest failures where it lies on the failing edge (docs/gp-constraints.md).
    /// </summary>
    internal double? FailedValueMargin { get; init; } = -1;

    /// <summary>
    /// Whether the model with failed trials at the latent value fits its own hyperparameters: under the objective's,
    /// fitted without the failures, a failing categorical value pulled the mean down at its neighbours too.
    /// </summary>
    internal bool RefitWithFailures { get; init; } = true;

    /// <summary>The largest mean of the failed (+1) / succeeded (−1) label model counted feasible.</summary>
    internal double FailureLabelThreshold { get; init; }

    /// <summary>
    /// The engine the model's fit and batched posterior run on besides the host (<c>algorithm.engine</c>: torch); null
    /// runs everything on <see cref="LinearAlgebra"/> (docs/gp-engines.md).
    /// </summary>
    internal Engines.IGpEngine? Engine { get; init; }

    /// <summary>The linear algebra the model uses.</summary>
    public ILinearAlgebra LinearAlgebra { get; init; } = LinearAlgebraProviders.Default;

    /// <summary>
    /// What the model makes of pruned trials (early stopping): by default observations at their last reported value
    /// extrapolated to the end of the curve; docs/early-stopping.md has the measurement behind the choice.
    /// </summary>
    internal PrunedTrialUse PrunedTrials { get; init; } = PrunedTrialUse.Extrapolated;

    /// <summary>The pending strategy implied by <see cref="Acquisition"/>.</summary>
    public PendingStrategy Pending => Acquisition == "qucb" ? PendingStrategy.RandomizedUcb : PendingStrategy.KrigingBeliever;
}
