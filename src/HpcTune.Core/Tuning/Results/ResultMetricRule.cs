using HpcTune.Study;

namespace HpcTune.Tuning;

/// <summary>
/// The rule that a result's metric names are the study's: none unknown, and every optimized metric present. A
/// break of it is the objective's fault, not the trial's (<see cref="ResultMismatchException"/>); a non-finite value
/// is still the trial's own failure (<see cref="StudyState.CheckValues"/>).
/// </summary>
internal static class ResultMetricRule
{
    /// <summary>Null when the names of <paramref name="values"/> fit <paramref name="definition"/>, else the mismatch.</summary>
    public static ResultMismatchException? Check(StudyDefinition definition, long trialId, IReadOnlyDictionary<string, double> values)
    {
        var expected = definition.Metrics.Select(m => m.Name).ToList();
        var received = values.Keys.ToList();
        var unknown = received.Where(name => !expected.Contains(name, StringComparer.Ordinal)).ToList();
        var missing = definition.Metrics.Where(m => m.Strategy == MetricStrategy.Optimize && !values.ContainsKey(m.Name)).Select(m => m.Name).ToList();
        if (unknown.Count == 0 && missing.Count == 0)
        {
            return null;
        }

        var problems = unknown.Select(name => $"unknown metric '{name}'").Concat(missing.Select(name => $"the optimized metric '{name}' is missing"));
        return new ResultMismatchException(trialId, expected, received, string.Join("; ", problems));
    }
}
