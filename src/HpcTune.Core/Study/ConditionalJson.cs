using System.Text.Json;
using HpcTune.Space;

namespace HpcTune.Study;

/// <summary>
/// The study JSON's <c>conditionals</c> and <c>conditions</c> (SigOpt's form; docs/study.md). Both are written only
/// when present, so a study without them is recorded exactly as the first edition recorded it.
/// </summary>
internal static class ConditionalJson
{
    public static ConditionalDefinition Read(JsonElement element, string path)
    {
        var reader = new JsonObjectReader(element, path);
        var name = reader.RequiredString("name");
        var values = reader.RequiredArray("values", "an array of strings").Select(v => JsonObjectReader.AsString(v.Element, v.Path)).ToList();
        reader.RejectUnknownKeys();
        return new ConditionalDefinition(name, values);
    }

    /// <summary>Reads <c>{"switch": ["value", ...]}</c>; a single string stands for a list of one.</summary>
    public static Dictionary<string, IReadOnlyList<string>> ReadConditions(JsonElement element, string path)
    {
        _ = new JsonObjectReader(element, path); // object shape and duplicate keys
        var conditions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var at = JsonObjectReader.Child(path, property.Name);
            conditions[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => [JsonObjectReader.AsString(property.Value, at)],
                JsonValueKind.Array => [.. property.Value.EnumerateArray().Select((v, i) => JsonObjectReader.AsString(v, $"{at}[{i}]"))],
                _ => throw new DefinitionException(at, $"expected an array of the conditional's values, got {JsonObjectReader.Describe(property.Value)}"),
            };
        }

        return conditions;
    }

    public static void WriteConditionals(Utf8JsonWriter writer, IReadOnlyList<ConditionalDefinition> conditionals)
    {
        if (conditionals.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("conditionals");
        foreach (var conditional in conditionals)
        {
            writer.WriteStartObject();
            writer.WriteString("name", conditional.Name);
            WriteStrings(writer, "values", conditional.Values);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static void WriteConditions(Utf8JsonWriter writer, IReadOnlyDictionary<string, IReadOnlyList<string>> conditions)
    {
        if (conditions.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("conditions");
        foreach (var (name, values) in conditions)
        {
            WriteStrings(writer, name, values);
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
