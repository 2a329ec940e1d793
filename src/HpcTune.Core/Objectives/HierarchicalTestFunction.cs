using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Objectives;

/// <summary>
/// A hierarchical conditional benchmark (docs/gp-conditional.md): two switches, <c>opt</c> ∈ {sgd, adam} and
/// <c>sched</c> ∈ {constant, decay}, and a parameter active only under both <c>opt = sgd</c> and <c>sched = decay</c>.
/// With u = log10 lr (lr log scale in [1e-5, 1]): 0.2 + (u − u*)²/4 with u* = −1 for sgd and −3 for adam;
/// sgd adds 2 (momentum − 0.9)², adam 2 (beta − 0.3)² + 0.1; decay adds 2 (decay − 0.6)² − 0.1; sgd with decay
/// adds 2 (kick − 0.2)² − 0.1. The minimum, 0, lies under sgd and decay; the other three branches' minima are 0.2
/// (sgd, constant), 0.2 (adam, decay) and 0.3 (adam, constant).
/// </summary>
internal static class HierarchicalTestFunction
{
    /// <summary>The benchmark's name.</summary>
    public const string Name = "tree";

    private static readonly ParameterDefinition[] Parameters =
    [
        ParameterDefinition.Double("lr", 1e-5, 1, Transformation.Log),
        When(ParameterDefinition.Double("momentum", 0, 1), ("opt", "sgd")),
        When(ParameterDefinition.Double("beta", 0, 1), ("opt", "adam")),
        When(ParameterDefinition.Double("decay", 0, 1), ("sched", "decay")),
        When(ParameterDefinition.Double("kick", 0, 1), ("opt", "sgd"), ("sched", "decay")),
    ];

    /// <summary>A study of this function, <c>value</c> minimized.</summary>
    public static StudyDefinition CreateStudy(int observationBudget, int parallelBandwidth, AlgorithmSpec algorithm) =>
        new(Name, Parameters, [new MetricDefinition(ConditionalTestFunction.MetricName, MetricObjective.Minimize)], observationBudget, parallelBandwidth,
            algorithm: algorithm, conditionals: [new ConditionalDefinition("opt", "sgd", "adam"), new ConditionalDefinition("sched", "constant", "decay")]);

    /// <summary>The value at <paramref name="assignment"/>.</summary>
    public static double Evaluate(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var sgd = assignment.GetString("opt") == "sgd";
        var decay = assignment.GetString("sched") == "decay";
        var u = Math.Log10(assignment.GetDouble("lr"));
        var value = 0.2 + (Math.Pow(u - (sgd ? -1 : -3), 2) / 4);
        value += sgd ? Square(assignment.GetDouble("momentum") - 0.9) : Square(assignment.GetDouble("beta") - 0.3) + 0.1;
        value += decay ? Square(assignment.GetDouble("decay") - 0.6) - 0.1 : 0;
        value += sgd && decay ? Square(assignment.GetDouble("kick") - 0.2) - 0.1 : 0;
        return value;
    }

    private static double Square(double x) => 2 * x * x;

    private static ParameterDefinition When(ParameterDefinition parameter, params (string Switch, string Value)[] conditions) =>
        parameter.WithConditions(conditions.ToDictionary(c => c.Switch, c => (IReadOnlyList<string>)[c.Value], StringComparer.Ordinal));
}
