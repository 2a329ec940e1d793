using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using HpcTune.Values;

namespace HpcTune.Client.Wire;

/// <summary>HpcTune's values and the proto's <c>google.protobuf.Value</c> / <c>Struct</c>, both ways.</summary>
internal static class WireValues
{
    public static Value ToValue(Scalar scalar) =>
        scalar.IsText ? Value.ForString(scalar.Text) : scalar.IsBoolean ? Value.ForBool(scalar.Boolean) : Value.ForNumber(scalar.Number);

    /// <summary>A wire value as a scalar; <paramref name="what"/> names it in the error for a null, list or object.</summary>
    public static Scalar ToScalar(Value value, string what) => value.KindCase switch
    {
        Value.KindOneofCase.NumberValue => Scalar.FromNumber(value.NumberValue),
        Value.KindOneofCase.StringValue => Scalar.FromText(value.StringValue),
        Value.KindOneofCase.BoolValue => Scalar.FromBoolean(value.BoolValue),
        _ => throw new FormatException($"{what}: the server sent a {value.KindCase}, not a number, string or boolean"),
    };

    public static void Fill(MapField<string, Value> target, IEnumerable<KeyValuePair<string, Scalar>>? source)
    {
        foreach (var (key, value) in source ?? [])
        {
            target[key] = ToValue(value);
        }
    }

    public static void FillNumbers(MapField<string, double> target, IReadOnlyDictionary<string, double> source)
    {
        foreach (var (key, value) in source)
        {
            target[key] = value;
        }
    }

    public static Dictionary<string, Scalar> ToScalars(MapField<string, Value> source, string what) =>
        source.ToDictionary(p => p.Key, p => ToScalar(p.Value, $"{what} '{p.Key}'"), StringComparer.Ordinal);

    /// <summary>A JSON object as a <c>Struct</c>; numbers become doubles, as JSON's are.</summary>
    public static Struct ToStruct(string json) => JsonParser.Default.Parse<Struct>(json);

    public static string ToJson(Struct? value) => value is null ? "{}" : JsonFormatter.Default.Format(value);
}
