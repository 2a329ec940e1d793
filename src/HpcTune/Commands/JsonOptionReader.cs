using System.Text.Json;
using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Cli.Commands;

/// <summary>The JSON objects that options carry (--params, --values, --metadata), read strictly with errors naming the option.</summary>
internal static class JsonOptionReader
{
    /// <summary>An assignment: name → finite number or string, each name once.</summary>
    public static Assignment ReadAssignment(string json, string option)
    {
        var names = new List<string>();
        var scalars = new List<Scalar>();
        foreach (var property in ReadObject(json, option))
        {
            names.Add(property.Name);
            scalars.Add(property.Value.ValueKind switch
            {
                JsonValueKind.Number when property.Value.TryGetDouble(out var number) && double.IsFinite(number) => Scalar.FromNumber(number),
                JsonValueKind.String => Scalar.FromText(property.Value.GetString()!),
                _ => throw new ArgumentException($"{option}: parameter '{property.Name}' must be a finite number or a string, got {property.Value.GetRawText()}"),
            });
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"{option}: a parameter appears twice");
        }

        return new Assignment(names, scalars);
    }

    /// <summary>Metric values: name → number, each name once.</summary>
    public static Dictionary<string, double> ReadValues(string json, string option)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in ReadObject(json, option))
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var number) || !values.TryAdd(property.Name, number))
            {
                throw new ArgumentException($"{option}: metric '{property.Name}' must be a number, once, got {property.Value.GetRawText()}");
            }
        }

        return values;
    }

    /// <summary>Metadata: key → string, number or boolean, each key once.</summary>
    public static Dictionary<string, Scalar> ReadMetadata(string json, string option)
    {
        var metadata = new Dictionary<string, Scalar>(StringComparer.Ordinal);
        foreach (var property in ReadObject(json, option))
        {
            Scalar value = property.Value.ValueKind switch
            {
                JsonValueKind.Number when property.Value.TryGetDouble(out var number) && double.IsFinite(number) => Scalar.FromNumber(number),
                JsonValueKind.String => Scalar.FromText(property.Value.GetString()!),
                JsonValueKind.True => Scalar.FromBoolean(true),
                JsonValueKind.False => Scalar.FromBoolean(false),
                _ => throw new ArgumentException($"{option}: '{property.Name}' must be a string, a finite number or a boolean, got {property.Value.GetRawText()}"),
            };
            if (!metadata.TryAdd(property.Name, value))
            {
                throw new ArgumentException($"{option}: '{property.Name}' appears twice");
            }
        }

        return metadata;
    }

    private static List<JsonProperty> ReadObject(string json, string option)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? [.. document.RootElement.Clone().EnumerateObject()]
                : throw new ArgumentException($"{option}: expected a JSON object, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{option}: not valid JSON: {e.Message}", e);
        }
    }
}
