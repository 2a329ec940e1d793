using System.Globalization;
using System.Text.Json;
using HpcTune.Values;

namespace HpcTune.Objectives;

/// <summary>
/// Reads a command objective's result (CONTRACTS.md §2, docs/study.md "Metadata"): a number; a JSON object of metric
/// values, each named once; or <c>{"metrics": {...}, "metadata": {...}}</c> with string, number or boolean metadata.
/// The two object forms are told apart by <c>"metrics"</c> holding an object, which no metric value can be.
/// </summary>
internal static class CommandResultParser
{
    /// <summary>The most characters of names and strings a result's metadata may hold: it is journaled with the result.</summary>
    public const int MaxMetadataChars = 256 * 1024;

    /// <summary>The metric values in <paramref name="text"/>, or null with <paramref name="problem"/> set.</summary>
    public static Dictionary<string, double>? Parse(string text, string objectiveMetric, string source, out string? problem) =>
        Parse(text, objectiveMetric, source, out _, out problem);

    /// <summary>The metric values and metadata in <paramref name="text"/>, or null with <paramref name="problem"/> set.</summary>
    public static Dictionary<string, double>? Parse(string text, string objectiveMetric, string source, out Dictionary<string, Scalar> metadata, out string? problem)
    {
        problem = null;
        metadata = new Dictionary<string, Scalar>(StringComparer.Ordinal);
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
                var root = document.RootElement;
                if (root.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
                {
                    return ReadWrapped(root, metrics, source, metadata, out problem);
                }

                return ReadMetrics(root, source, "", out problem);
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

    private static Dictionary<string, double>? ReadWrapped(JsonElement root, JsonElement metrics, string source, Dictionary<string, Scalar> metadata, out string? problem)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("metrics" or "metadata") || !keys.Add(property.Name))
            {
                problem = keys.Contains(property.Name) && property.Name is "metrics" or "metadata"
                    ? $"{source}: '{property.Name}' appears twice"
                    : $"{source}: unknown key '{Clip(property.Name)}' next to \"metrics\"; the object holds \"metrics\" and optionally \"metadata\"";
                return null;
            }
        }

        var values = ReadMetrics(metrics, source, "metrics.", out problem);
        if (values is null || !root.TryGetProperty("metadata", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return values;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = $"{source}: \"metadata\" is {Kind(element)}, not an object of strings, numbers and booleans";
            return null;
        }

        var chars = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (metadata.ContainsKey(property.Name))
            {
                problem = $"{source}: metadata '{Clip(property.Name)}' appears twice";
                return null;
            }

            Scalar? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => Scalar.FromText(property.Value.GetString()!),
                JsonValueKind.True => Scalar.FromBoolean(true),
                JsonValueKind.False => Scalar.FromBoolean(false),
                JsonValueKind.Number when property.Value.TryGetDouble(out var n) && double.IsFinite(n) => Scalar.FromNumber(n),
                _ => (Scalar?)null,
            };
            if (value is not { } scalar)
            {
                problem = $"{source}: metadata '{Clip(property.Name)}' is {Kind(property.Value)} {Clip(property.Value.GetRawText())}, not a string, a finite number or a boolean";
                return null;
            }

            chars += property.Name.Length + (scalar.IsText ? scalar.Text.Length : 0);
            if (chars > MaxMetadataChars)
            {
                problem = $"{source}: the metadata holds more than {MaxMetadataChars} characters; it is journaled with every result, so keep it small (write large output to a file in the trial folder)";
                return null;
            }

            metadata[property.Name] = scalar;
        }

        return values;
    }

    private static Dictionary<string, double>? ReadMetrics(JsonElement element, string source, string prefix, out string? problem)
    {
        problem = null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (values.ContainsKey(property.Name))
            {
                // JSON allows it, and a reader would keep one of the two silently (as the study reader refuses it).
                problem = $"{source}: metric '{Clip(property.Name)}' appears twice";
                return null;
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value))
            {
                problem = $"{source}: metric '{prefix}{property.Name}' is {Kind(property.Value)} {Clip(property.Value.GetRawText())}, not a number"
                    + (prefix.Length == 0 ? "; to record other values with the result, print {\"metrics\": {...}, \"metadata\": {...}}" : "");
                return null;
            }

            values[property.Name] = value;
        }

        return values;
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static string Clip(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
