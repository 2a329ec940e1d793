using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Tests.Model;

/// <summary>Second-edition studies: a conditional space (CONTRACTS.md §5's example), several objectives, constraints.</summary>
internal static class ModelStudies
{
    public const string ConditionalJson = """
        {
          "name": "cnn",
          "conditionals": [{"name": "depth", "values": ["2", "3"]}, {"name": "opt", "values": ["sgd", "adam"]}],
          "parameters": [
            {"name": "lr", "type": "double", "bounds": {"min": 1e-4, "max": 1}, "transformation": "log"},
            {"name": "units3", "type": "int", "bounds": {"min": 16, "max": 256}, "conditions": {"depth": ["3"]}},
            {"name": "momentum", "type": "double", "bounds": {"min": 0, "max": 0.99}, "conditions": {"opt": ["sgd"]}},
            {"name": "beta3", "type": "double", "bounds": {"min": 0.5, "max": 0.999}, "conditions": {"depth": ["3"], "opt": ["adam"]}}
          ],
          "metrics": [{"name": "loss", "objective": "minimize"}],
          "observation_budget": 40,
          "parallel_bandwidth": 3,
          "algorithm": {"name": "random", "seed": 5}
        }
        """;

    public static StudyDefinition Conditional(string algorithm = "random", int budget = 40) =>
        StudyDefinitionJson.Parse(ConditionalJson).With(observationBudget: budget, algorithm: new AlgorithmSpec(algorithm, 5));

    /// <summary>Two objectives (f1 = x², f2 = (x - 2)², both minimized: the front is x in [0, 2]) and a constraint on x.</summary>
    public static StudyDefinition TwoObjectives(string algorithm = "sobol", int budget = 30, double? maxX = null) =>
        new("pareto", [ParameterDefinition.Double("x", -1, 3)],
            [
                new MetricDefinition("f1", MetricObjective.Minimize),
                new MetricDefinition("f2", MetricObjective.Minimize),
                .. maxX is { } m ? new[] { new MetricDefinition("x_value", MetricObjective.Minimize, MetricStrategy.Constraint, m) } : [],
            ],
            budget, 2, null, new AlgorithmSpec(algorithm, 9));

    /// <summary>True when no parameter the switches make inactive is present and every active one is.</summary>
    public static bool HoldsExactlyTheActive(SearchSpace space, IReadOnlyDictionary<string, HpcTune.Values.Scalar> assignment) =>
        space.Conditionals.All(c => assignment.ContainsKey(c.Name))
        && space.Parameters.All(p => p.IsActive(assignment) == assignment.ContainsKey(p.Name));
}
