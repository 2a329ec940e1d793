using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Gp.Sampling;

/// <summary>How the GP sampler handles suggestions still open at other workers.</summary>
public enum PendingStrategy
{
    /// <summary>
    /// Kriging believer: each pending point is added to the model at its posterior mean (a rank-1 extension
    /// of the factor), which leaves the mean unchanged and shrinks the variance around it, so the next
    /// suggestion moves elsewhere. Used with log-EI (the default) and UCB.
    /// </summary>
    KrigingBeliever,

    /// <summary>
    /// DeepHyper's qUCB: pending points are ignored and each suggestion draws its own κ from an exponential
    /// distribution, so parallel suggestions spread between exploitation and exploration. Cheaper; no fantasies.
    /// </summary>
    RandomizedUcb,
}

/// <summary>Settings of the GP sampler.</summary>
public sealed record GpOptions
{
    /// <summary>log-EI (default) or UCB as the acquisition.</summary>
    public string Acquisition { get; init; } = "log_ei";

    /// <summary>κ of UCB, and the mean of qUCB's exponential κ.</summary>
    public double Kappa { get; init; } = 1.96;

    /// <summary>Sobol candidates scored per suggestion (before local ones), at small n; fewer at large n. 512 measured as good as 1024 at 60 % of the time.</summary>
    public int Candidates { get; init; } = 512;

    /// <summary>Random restarts of the hyperparameter fit besides the prior mode.</summary>
    public int FitRestarts { get; init; } = 1;

    /// <summary>How many of the best candidates are refined by gradient ascent.</summary>
    public int Refinements { get; init; } = 3;

    /// <summary>Iterations of each refinement.</summary>
    public int RefineIterations { get; init; } = 20;

    /// <summary>At most this many observations are used to fit hyperparameters (a seeded subset beyond).</summary>
    public int MaxFitPoints { get; init; } = 256;

    /// <summary>Warp objective values by −log(1 + distance to the best / median distance) before standardizing.</summary>
    public bool LogWarping { get; init; } = true;

    /// <summary>The linear algebra the model uses.</summary>
    public ILinearAlgebra LinearAlgebra { get; init; } = LinearAlgebraProviders.Default;

    /// <summary>The pending strategy implied by <see cref="Acquisition"/>.</summary>
    public PendingStrategy Pending => Acquisition == "qucb" ? PendingStrategy.RandomizedUcb : PendingStrategy.KrigingBeliever;
}
