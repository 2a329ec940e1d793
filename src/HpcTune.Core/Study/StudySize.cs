using System.Buffers;
using System.Text.Json;
using HpcTune.Space;

namespace HpcTune.Study;

/// <summary>
/// Says what makes a definition large: the error that refuses one too large to keep must send the user to the cause
/// (20,000 parameters want fewer parameters, not shorter strings).
/// </summary>
internal static class StudySize
{
    /// <summary>A clause naming what takes most of the definition's JSON and what to do about it, for a record of at most <paramref name="limit"/> bytes.</summary>
    public static string Explain(StudyDefinition definition, int limit)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = Measure(w => w.WriteStringValue(definition.Name));
        var parameters = definition.Space.Parameters.Select(p => Measure(w => StudyDefinitionJson.WriteParameter(w, p))).ToArray();
        var metadata = definition.Metadata.Select(m => (m.Key, Size: Measure(w =>
        {
            w.WriteStartObject();
            StudyDefinitionJson.WriteScalar(w, m.Key, m.Value);
            w.WriteEndObject();
        }))).ToArray();
        var metrics = definition.Metrics.Sum(m => (long)Measure(w => w.WriteStringValue(m.Name)));
        var parameterBytes = parameters.Sum(p => (long)p);
        var metadataBytes = metadata.Sum(m => (long)m.Size);
        if (name >= Math.Max(parameterBytes, Math.Max(metadataBytes, metrics)))
        {
            return $"the study's name takes {name} bytes; shorten the name";
        }

        if (metadataBytes >= Math.Max(parameterBytes, metrics))
        {
            var largest = metadata.MaxBy(m => m.Size);
            return $"the metadata takes {metadataBytes} bytes in {metadata.Length} entries (the largest, '{Shorten(largest.Key)}', {largest.Size} bytes); shorten or drop metadata";
        }

        if (metrics >= parameterBytes)
        {
            return $"the metric names take {metrics} bytes; shorten them";
        }

        return ExplainParameters(definition.Space.Parameters, parameters, parameterBytes, limit);
    }

    private static string ExplainParameters(IReadOnlyList<ParameterDefinition> parameters, int[] sizes, long total, int limit)
    {
        var largest = Array.IndexOf(sizes, sizes.Max());
        var p = parameters[largest];
        if (sizes[largest] * 2L > total)
        {
            return p.Type == ParameterType.Categorical
                ? $"parameters[{largest}] ('{Shorten(p.Name)}') takes {sizes[largest]} bytes with its {p.CategoricalValues.Count} categorical values; use fewer or shorter values"
                : $"parameters[{largest}] takes {sizes[largest]} bytes with its name of {p.Name.Length} characters; shorten the name";
        }

        var average = total / parameters.Count;
        var values = parameters.Sum(q => (long)q.CategoricalValues.Count);
        return $"it has {parameters.Count} parameters taking {total} bytes, {average} bytes each on average"
            + (values > parameters.Count ? $", with {values} categorical values in all" : "")
            + $"; use fewer parameters (about {limit / Math.Max(1, average)} of this size fit)"
            + (average > 100 ? ", or shorter names and values" : "");
    }

    private static int Measure(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenCount;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
