using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Service.Calls;

/// <summary>
/// A result's metric values as a caller sent them: one <c>value</c> for a study with one metric, or <c>values</c> by
/// name. Names that are not the study's are the caller's mistake (INVALID_ARGUMENT), not a reason to stop the study
/// as they are for a command objective that prints the wrong names.
/// </summary>
internal static class ResultValues
{
    public static Dictionary<string, double> Read(StudyDefinition definition, long trialId, double? value, IReadOnlyDictionary<string, double> values)
    {
        if (value is { } single)
        {
            if (values.Count > 0)
            {
                throw new ArgumentException("give value or values, not both");
            }

            if (definition.Metrics.Count != 1)
            {
                throw new ArgumentException($"value: the study has {definition.Metrics.Count} metrics ({string.Join(", ", definition.Metrics.Select(m => m.Name))}): send values, name → number");
            }

            values = new Dictionary<string, double>(StringComparer.Ordinal) { [definition.Metrics[0].Name] = single };
        }
        else if (values.Count == 0)
        {
            throw new ArgumentException($"give the result: value (one metric) or values ({string.Join(", ", definition.Metrics.Select(m => m.Name))})");
        }

        if (ResultMetricRule.Check(definition, trialId, values) is { } mismatch)
        {
            throw new ArgumentException($"values: {mismatch.Message}");
        }

        foreach (var (name, number) in values)
        {
            if (!double.IsFinite(number))
            {
                throw new ArgumentException($"values.{name}: {number} is not a finite number (report a failure with fail instead)");
            }
        }

        return new Dictionary<string, double>(values, StringComparer.Ordinal);
    }

    /// <summary>An intermediate report's values: at least one, each a metric of the study and finite (INVALID_ARGUMENT otherwise).</summary>
    public static Dictionary<string, double> ReadReport(StudyDefinition definition, long trialId, IReadOnlyDictionary<string, double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException($"values: a report of trial {trialId} needs at least one metric's value ({string.Join(", ", definition.Metrics.Select(m => m.Name))})");
        }

        foreach (var (name, number) in values)
        {
            if (!definition.Metrics.Any(m => m.Name == name))
            {
                throw new ArgumentException($"values.{name}: not a metric of this study; the metrics are {string.Join(", ", definition.Metrics.Select(m => m.Name))}");
            }

            if (!double.IsFinite(number))
            {
                throw new ArgumentException($"values.{name}: {number} is not a finite number");
            }
        }

        return new Dictionary<string, double>(values, StringComparer.Ordinal);
    }
}
