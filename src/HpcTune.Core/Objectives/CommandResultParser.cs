using System.Globalization;
using System.Text.Json;

namespace HpcTune.Objectives;

/// <summary>Reads a command objective's result: a number, or a JSON object of metric values, each named once (CONTRACTS.md §2).</summary>
internal static class CommandResultParser
{
    /// <summary>The metric values in <paramref name="text"/>, or null with <paramref name="problem"/> set.</summary>
    public static Dictionary<string, double>? Parse(string text, string objectiveMetric, string source, out string? problem)
    {
        problem = null;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new Dictionary<string, double>(StringComparer.Ordinal) { [objectiveMetric] = number };
        }

        if (text.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (values.ContainsKey(property.Name))
                    {
                        // JSON allows it, and a reader would keep one of the two silently (as the study reader refuses it).
                        problem = $"{source}: metric '{Clip(property.Name)}' appears twice";
                        return null;
                    }

                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value))
                    {
                        problem = $"{source}: metric '{property.Name}' is {property.Value.ValueKind.ToString().ToLowerInvariant()} {Clip(property.Value.GetRawText())}, not a number";
                        return null;
                    }

                    values[property.Name] = value;
                }

                return values;
            }
            catch (JsonException e)
            {
                problem = $"{source}: not valid JSON ({e.Message})";
                return null;
            }
        }

        problem = text.Length == 0
            ? $"{source}: empty; print the objective value (or a JSON object of metrics) as the last line"
            : $"{source}: '{Clip(text)}' is neither a number nor a JSON object of metrics";
        return null;
    }

    private static string Clip(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
