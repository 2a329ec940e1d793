using System.Text.Json;
using HpcTune.Values;

namespace HpcTune.Study;

/// <summary>
/// Reads one JSON object with its path in mind: every accessor names <c>path.key</c> in its error, keys are
/// marked as they are read, and <see cref="RejectUnknownKeys"/> names any key nobody asked for.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonElement element, string path)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DefinitionException(path, $"expected an object, got {Describe(element)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = Text(() => property.Name, path, "a key");
            if (!seen.Add(name))
            {
                throw new DefinitionException(Child(path, name), "the key appears twice in the same object");
            }
        }

        _element = element;
    }

    public string Path { get; }

    public static string Child(string path, string key) => string.IsNullOrEmpty(path) ? key : $"{path}.{key}";

    public string PathOf(string key) => Child(Path, key);

    public bool TryGet(string key, out JsonElement value)
    {
        _known.Add(key);
        if (_element.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public JsonElement Required(string key, string expected) =>
        TryGet(key, out var value) ? value : throw new DefinitionException(PathOf(key), $"missing; expected {expected}");

    public string RequiredString(string key) => AsString(Required(key, "a string"), PathOf(key));

    public string? OptionalString(string key) => TryGet(key, out var value) ? AsString(value, PathOf(key)) : null;

    public double RequiredNumber(string key) => AsNumber(Required(key, "a number"), PathOf(key));

    public double? OptionalNumber(string key) => TryGet(key, out var value) ? AsNumber(value, PathOf(key)) : null;

    public int? OptionalInt(string key) => TryGet(key, out var value) ? AsInt(value, PathOf(key)) : null;

    public long? OptionalLong(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var result)
            ? result
            : throw new DefinitionException(PathOf(key), $"expected an integer within ±9.2e18, got {Describe(value)}");
    }

    public IReadOnlyList<(JsonElement Element, string Path)> RequiredArray(string key, string expected)
    {
        var array = Required(key, expected);
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DefinitionException(PathOf(key), $"expected {expected}, got {Describe(array)}");
        }

        return [.. array.EnumerateArray().Select((e, i) => (e, $"{PathOf(key)}[{i}]"))];
    }

    public void RejectUnknownKeys()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                throw new DefinitionException(PathOf(property.Name),
                    $"unknown key '{property.Name}'; expected one of {string.Join(", ", _known.Order(StringComparer.Ordinal))}");
            }
        }
    }

    public static string AsString(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? Text(() => value.GetString()!, path, "the string") : throw new DefinitionException(path, $"expected a string, got {Describe(value)}");

    public static double AsNumber(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new DefinitionException(path, $"expected a number, got {Describe(value)}");
        }

        return value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new DefinitionException(path, $"the number {value.GetRawText()} is not a finite double");
    }

    public static int AsInt(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw new DefinitionException(path, $"expected an integer within ±2147483647, got {Describe(value)}");

    public static Scalar AsScalar(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => Scalar.FromText(AsString(value, path)),
        JsonValueKind.Number => Scalar.FromNumber(AsNumber(value, path)),
        _ => throw new DefinitionException(path, $"expected a string or a number, got {Describe(value)}"),
    };

    /// <summary>A metadata value: a string, a number or a boolean.</summary>
    public static Scalar AsMetadataValue(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => Scalar.FromBoolean(true),
        JsonValueKind.False => Scalar.FromBoolean(false),
        JsonValueKind.String or JsonValueKind.Number => AsScalar(value, path),
        _ => throw new DefinitionException(path, $"expected a string, a number or a boolean, got {Describe(value)}"),
    };

    /// <summary>The value as the file spells it (a string with its escapes, so a broken one cannot throw), shortened.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(value.GetRawText()[1..^1])}\"",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    /// <summary>
    /// Unescapes a key or string. JSON lets <c>\ud800</c> stand alone, but a lone UTF-16 surrogate is no text:
    /// System.Text.Json throws InvalidOperationException, which would escape as a crash instead of naming the place.
    /// </summary>
    private static string Text(Func<string> read, string path, string what)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException e)
        {
            throw new DefinitionException(path, $"{what} holds a \\u escape that is not valid Unicode (a lone UTF-16 surrogate): {e.Message}");
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
