using System.Text.Json;

namespace HpcTune.Objectives;

/// <summary>One progress report a command printed: <c>HPCTUNE_REPORT {"step": 12, "loss": 0.31}</c>.</summary>
/// <param name="Step">The step it reports (a non-negative integer).</param>
/// <param name="Values">The metric values, each finite, each named once.</param>
internal sealed record ReportLine(long Step, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// Tells report lines from other output and reads them (CONTRACTS.md §6, docs/objectives.md "Progress reports"). A
/// line is a report when its first word is <see cref="Prefix"/>; the rest must be one JSON object with an integer
/// <c>step</c> and at least one metric, every metric a finite number named once. A line that is a report but breaks a
/// rule is refused whole (nothing of it is sent), with the reason.
/// </summary>
internal static class ReportLineParser
{
    /// <summary>The word that starts a report line.</summary>
    public const string Prefix = "HPCTUNE_REPORT";

    private const string StepKey = "step";

    /// <summary>True when <paramref name="line"/> is a report line (well formed or not).</summary>
    public static bool IsReport(OutputLine line)
    {
        var text = line.Text.AsSpan().TrimStart();
        return text.StartsWith(Prefix, StringComparison.Ordinal) && (text.Length == Prefix.Length || char.IsWhiteSpace(text[Prefix.Length]));
    }

    /// <summary>The report in <paramref name="line"/> (a report line), or null with <paramref name="problem"/> set.</summary>
    public static ReportLine? Parse(OutputLine line, out string? problem)
    {
        problem = null;
        if (line.Cut)
        {
            problem = $"the line is {line.Bytes} bytes, longer than the {TrialFolders.MaxResultBytes >> 20} MiB cap on a line";
            return null;
        }

        var json = line.Text.AsSpan().TrimStart()[Prefix.Length..].Trim();
        if (json.IsEmpty)
        {
            problem = $"no JSON after {Prefix}; print {Prefix} {{\"step\": N, \"METRIC\": VALUE}}";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json.ToString());
            return Read(document.RootElement, out problem);
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON ({e.Message})";
            return null;
        }
    }

    private static ReportLine? Read(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = $"the JSON is {Kind(root)}, not an object {{\"step\": N, ...}}";
            return null;
        }

        long? step = null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == StepKey)
            {
                if (step is not null)
                {
                    problem = "'step' appears twice";
                    return null;
                }

                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var s) || s < 0)
                {
                    problem = $"'step' is {Kind(property.Value)} {Clip(property.Value.GetRawText())}, not a non-negative integer";
                    return null;
                }

                step = s;
                continue;
            }

            if (values.ContainsKey(property.Name))
            {
                problem = $"metric '{Clip(property.Name)}' appears twice";
                return null;
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                problem = $"metric '{Clip(property.Name)}' is {Kind(property.Value)} {Clip(property.Value.GetRawText())}, not a finite number";
                return null;
            }

            values[property.Name] = value;
        }

        if (step is not { } reportedStep)
        {
            problem = "no 'step': every report names its step, an integer that increases";
            return null;
        }

        if (values.Count == 0)
        {
            problem = $"step {reportedStep} names no metric";
            return null;
        }

        return new ReportLine(reportedStep, values);
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static string Clip(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
