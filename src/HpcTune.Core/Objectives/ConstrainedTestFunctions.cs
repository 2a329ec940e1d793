using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Objectives;

/// <summary>
/// Test problems with constraints or failures (docs/gp-constraints.md), shared by the <c>constraints</c> benchmark and
/// the GP's tests: Gardner et al. 2014's toy (a constraint metric), and studies whose objective fails in part of the
/// space (issue 27, item 4).
/// </summary>
internal static class ConstrainedTestFunctions
{
    /// <summary>
    /// Gardner et al. 2014, "Bayesian Optimization with Inequality Constraints", §5.1: minimize
    /// cos(2x)cos(y) + sin(x) over [0, 6]², subject to cos(x)cos(y) − sin(x)sin(y) ≤ 0.5.
    /// </summary>
    public static StudyDefinition GardnerToy(int budget, int open, AlgorithmSpec algorithm) => new(
        "gardner-toy",
        [ParameterDefinition.Double("x", 0, 6), ParameterDefinition.Double("y", 0, 6)],
        [new MetricDefinition("f", MetricObjective.Minimize), new MetricDefinition("c", MetricObjective.Minimize, MetricStrategy.Constraint, GardnerToyThreshold)],
        budget, open, algorithm: algorithm);

    /// <summary>The toy's constraint: feasible where c ≤ 0.5.</summary>
    public const double GardnerToyThreshold = 0.5;

    /// <summary>The toy's objective and constraint values at (x, y).</summary>
    public static (double F, double C) GardnerToyValues(double x, double y) =>
        ((Math.Cos(2 * x) * Math.Cos(y)) + Math.Sin(x), (Math.Cos(x) * Math.Cos(y)) - (Math.Sin(x) * Math.Sin(y)));

    /// <summary>
    /// A 2-D study whose objective fails (exits non-zero) where x &gt; 0.8 and y &gt; 0.8, where its global minimum
    /// (0 at (0.9, 0.9)) lies; the other basin, at (0.2, 0.3), bottoms out at 0.05. At most 60 failures.
    /// </summary>
    public static StudyDefinition FailingCorner(int budget, int open, AlgorithmSpec algorithm) => new(
        "failing-corner",
        [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
        [new MetricDefinition("loss", MetricObjective.Minimize)],
        budget, open, maxFailures: 60, algorithm: algorithm);

    /// <summary>The failing corner's loss, or null where the objective fails.</summary>
    public static double? FailingCornerLoss(double x, double y) =>
        x > 0.8 && y > 0.8 ? null : Math.Min(Square(x - 0.9) + Square(y - 0.9), Square(x - 0.2) + Square(y - 0.3) + 0.05);

    /// <summary>
    /// A mixed study (x, z in [0, 1], int n in [1, 8], categorical c in a/b/c/d) whose objective fails for c = "d",
    /// for n = 8 and for z above 0.8 (<see cref="FailingMixedLoss"/>, <see cref="FailingMixedInteriorLoss"/>).
    /// </summary>
    public static StudyDefinition FailingMixed(string name, int budget, int open, AlgorithmSpec algorithm) => new(
        name,
        [
            ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("z", 0, 1), ParameterDefinition.Int("n", 1, 8),
            ParameterDefinition.Categorical("c", "a", "b", "c", "d"),
        ],
        [new MetricDefinition("loss", MetricObjective.Minimize)],
        budget, open, algorithm: algorithm);

    /// <summary>
    /// The mixed study's loss, or null where the objective fails; it gets better towards each failing value, so the
    /// feasible optimum is (x 0.3, z 0.8, n 7, c a).
    /// </summary>
    public static double? FailingMixedLoss(double x, double z, long n, string c) =>
        c == "d" || n == 8 || z > 0.8 ? null
        : Square(x - 0.3) + (0.5 * (1 - z)) + (0.05 * (8 - n)) + (c == "a" ? 0.1 : c == "b" ? 0.2 : 0.3);

    /// <summary>
    /// The mixed study's loss with an optimum inside the feasible region, (x 0.3, z 0.6, n 5, c b), or null where the
    /// objective fails: the failing values are no better than the rest, so only exploration goes there.
    /// </summary>
    public static double? FailingMixedInteriorLoss(double x, double z, long n, string c) =>
        c == "d" || n == 8 || z > 0.8 ? null : Square(x - 0.3) + Square(z - 0.6) + (0.02 * Math.Abs(n - 5)) + (c == "b" ? 0 : 0.1);

    private static double Square(double v) => v * v;
}
