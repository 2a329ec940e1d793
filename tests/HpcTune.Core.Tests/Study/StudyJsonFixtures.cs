namespace HpcTune.Tests.Study;

/// <summary>Study JSON texts for tests: the contract's example, and a way to put any parameter third.</summary>
internal static class StudyJsonFixtures
{
    public const string ContractExample = """
        {
          "name": "svm-digits",
          "parameters": [
            {"name": "gamma",  "type": "double", "bounds": {"min": 1e-4, "max": 1.0}, "transformation": "log"},
            {"name": "C",      "type": "double", "bounds": {"min": 0.01, "max": 100}, "transformation": "log"},
            {"name": "degree", "type": "int",    "bounds": {"min": 1, "max": 5}},
            {"name": "dropout","type": "double", "bounds": {"min": 0.0, "max": 0.5}, "step": 0.05},
            {"name": "kernel", "type": "categorical", "categorical_values": ["rbf", "poly", "sigmoid"]}
          ],
          "metrics": [{"name": "accuracy", "objective": "maximize"}],
          "observation_budget": 100,
          "parallel_bandwidth": 8,
          "max_failures": 10,
          "algorithm": {"name": "gp", "initial_points": 10, "seed": 42},
          "metadata": {"owner": "team-a"}
        }
        """;

    /// <summary>A valid study whose parameters[2] is <paramref name="thirdParameter"/>.</summary>
    public static string WithThirdParameter(string thirdParameter) => $$$"""
        {
          "name": "s",
          "parameters": [
            {"name": "a", "type": "double", "bounds": {"min": 0, "max": 1}},
            {"name": "b", "type": "int", "bounds": {"min": 0, "max": 10}},
            {{{thirdParameter}}}
          ],
          "metrics": [{"name": "loss", "objective": "minimize"}],
          "observation_budget": 10
        }
        """;

    /// <summary>A valid study with <paramref name="member"/> (a <c>"key": value</c> text) added at the top level.</summary>
    public static string WithTopLevel(string member) => $$$"""
        {
          "name": "s",
          "parameters": [{"name": "a", "type": "double", "bounds": {"min": 0, "max": 1}}],
          "metrics": [{"name": "loss", "objective": "minimize"}],
          {{{member}}}
        }
        """;
}
