using System.Text.Json;
using HpcTune.Study;

namespace HpcTune.Journal;

/// <summary>Lists how two study definitions differ, leaf by leaf, as JSON paths.</summary>
internal static class DefinitionDiff
{
    /// <summary>
    /// Every difference between <paramref name="recorded"/> and <paramref name="given"/> except the observation
    /// budget, as lines like <c>parameters[1].bounds.max: 10 → 20</c>. A given definition without a seed takes
    /// the recorded one.
    /// </summary>
    public static IReadOnlyList<string> Compare(StudyDefinition recorded, StudyDefinition given)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(given);
        if (given.Algorithm.Seed is null)
        {
            given = given.With(algorithm: given.Algorithm with { Seed = recorded.Algorithm.Seed });
        }

        given = given.With(observationBudget: recorded.ObservationBudget);
        var before = Flatten(StudyDefinitionJson.Write(recorded));
        var after = Flatten(StudyDefinitionJson.Write(given));
        var differences = new List<string>();
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var a = before.GetValueOrDefault(key, "(absent)");
            var b = after.GetValueOrDefault(key, "(absent)");
            if (a != b)
            {
                differences.Add($"{key}: {a} → {b}");
            }
        }

        return differences;
    }

    private static Dictionary<string, string> Flatten(string json)
    {
        using var document = JsonDocument.Parse(json);
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(document.RootElement, "", leaves);
        return leaves;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", leaves);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", leaves);
                }

                break;
            default:
                leaves[path] = element.GetRawText();
                break;
        }
    }
}
