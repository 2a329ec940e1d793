namespace HpcTune.Study;

/// <summary>Which way a metric is better.</summary>
public enum MetricObjective
{
    /// <summary>Larger is better.</summary>
    Maximize,

    /// <summary>Smaller is better.</summary>
    Minimize,
}

/// <summary>What the tuner does with a metric.</summary>
public enum MetricStrategy
{
    /// <summary>An optimized metric: one per study, or two to four for a multi-objective study.</summary>
    Optimize,

    /// <summary>Must satisfy <see cref="MetricDefinition.Threshold"/> (≥ when maximized, ≤ when minimized).</summary>
    Constraint,

    /// <summary>Recorded only.</summary>
    Store,
}

/// <summary>A metric that observations report.</summary>
/// <param name="Name">The metric's name, as reported by the objective.</param>
/// <param name="Objective">
/// Which way is better; required in C# (a loss maximized by mistake reports its worst value as best). A study file
/// that leaves <c>objective</c> out gets SigOpt's <c>maximize</c> (CONTRACTS.md §5).
/// </param>
/// <param name="Strategy">Optimized, a constraint, or stored.</param>
/// <param name="Threshold">The constraint's bound (constraints only).</param>
public sealed record MetricDefinition(
    string Name,
    MetricObjective Objective,
    MetricStrategy Strategy = MetricStrategy.Optimize,
    double? Threshold = null)
{
    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/> for this metric.</summary>
    public bool IsBetter(double a, double b) => Objective == MetricObjective.Maximize ? a > b : a < b;
}
