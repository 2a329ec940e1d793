using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Objectives;

/// <summary>
/// A conditional benchmark (docs/gp-conditional.md): the switch <c>model</c> picks one of three branches, each with
/// parameters of its own and a minimum of its own, and the shared <c>s</c> has a different best value in each branch.
/// <list type="bullet">
/// <item><c>a</c> (2 doubles a1, a2 in [0, 1]): 0.5 + Branin(15 a1 − 5, 15 a2) rescaled to [0, ~6] (minimum 0.5).</item>
/// <item><c>b</c> (b_lr, log scale in [1e-4, 1]; b_units, int in [1, 16]): 0.25 + (log10 b_lr + 2.5)²/4 + ((b_units − 11)/8)² (minimum 0.25).</item>
/// <item><c>c</c> (c1 in [0, 1], c_kind in {x, y, z}, c3 in [−5, 5]): 1.2 (1 − exp(−((c1 − 0.65)² + ((c3 − 1.5)/10)²)/0.08)), plus 0.3 unless c_kind is y (minimum 0).</item>
/// </list>
/// Plus 2 (s − s*)² with s* = 0.2, 0.5, 0.8 in a, b, c. The global minimum, 0, lies in branch c: the smallest share
/// of the space, behind the most parameters.
/// </summary>
internal sealed class ConditionalTestFunction
{
    /// <summary>The metric the study minimizes.</summary>
    public const string MetricName = "value";

    /// <summary>The global minimum.</summary>
    public const double Minimum = 0;

    /// <summary>The benchmark's name.</summary>
    public const string Name = "branches3";

    private static readonly ParameterDefinition[] Parameters =
    [
        ParameterDefinition.Double("s", 0, 1),
        Only(ParameterDefinition.Double("a1", 0, 1), "a"),
        Only(ParameterDefinition.Double("a2", 0, 1), "a"),
        Only(ParameterDefinition.Double("b_lr", 1e-4, 1, Transformation.Log), "b"),
        Only(ParameterDefinition.Int("b_units", 1, 16), "b"),
        Only(ParameterDefinition.Double("c1", 0, 1), "c"),
        Only(ParameterDefinition.Categorical("c_kind", "x", "y", "z"), "c"),
        Only(ParameterDefinition.Double("c3", -5, 5), "c"),
    ];

    /// <summary>A study of this function: the switch, the shared and the branches' parameters, <c>value</c> minimized.</summary>
    public static StudyDefinition CreateStudy(int observationBudget, int parallelBandwidth, AlgorithmSpec algorithm) =>
        new(Name, Parameters, [new MetricDefinition(MetricName, MetricObjective.Minimize)], observationBudget, parallelBandwidth,
            algorithm: algorithm, conditionals: [new ConditionalDefinition("model", "a", "b", "c")]);

    /// <summary>The value at <paramref name="assignment"/>, which holds the switch and the parameters it makes active.</summary>
    public static double Evaluate(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var s = assignment.GetDouble("s");
        return assignment.GetString("model") switch
        {
            "a" => 0.5 + ((Branin(assignment.GetDouble("a1"), assignment.GetDouble("a2")) - 0.397887) / 50) + Shared(s, 0.2),
            "b" => 0.25 + (Math.Pow(Math.Log10(assignment.GetDouble("b_lr")) + 2.5, 2) / 4) + Math.Pow((assignment.GetInt("b_units") - 11) / 8.0, 2) + Shared(s, 0.5),
            "c" => BranchC(assignment.GetDouble("c1"), assignment.GetString("c_kind"), assignment.GetDouble("c3")) + Shared(s, 0.8),
            var other => throw new ArgumentException($"model '{other}' is not a branch of {Name}"),
        };
    }

    private static double Shared(double s, double best) => 2 * (s - best) * (s - best);

    private static double BranchC(double c1, string kind, double c3)
    {
        var r2 = ((c1 - 0.65) * (c1 - 0.65)) + (((c3 - 1.5) / 10) * ((c3 - 1.5) / 10));
        return (1.2 * (1 - Math.Exp(-r2 / 0.08))) + (kind == "y" ? 0 : 0.3);
    }

    private static double Branin(double u, double v)
    {
        var x = (15 * u) - 5;
        var y = 15 * v;
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var c = 5 / Math.PI;
        var t = 1 / (8 * Math.PI);
        return Math.Pow(y - (b * x * x) + (c * x) - 6, 2) + (10 * (1 - t) * Math.Cos(x)) + 10;
    }

    private static ParameterDefinition Only(ParameterDefinition parameter, string branch) =>
        parameter.WithConditions(new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["model"] = [branch] });
}
