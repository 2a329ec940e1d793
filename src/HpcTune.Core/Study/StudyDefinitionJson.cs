using System.Text;
using System.Text.Json;
using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Study;

/// <summary>
/// Reads and writes the study JSON of CONTRACTS.md §1. Reading is strict: unknown keys, duplicate keys,
/// wrong types and bad values are <see cref="DefinitionException"/>s naming the JSON path and what was expected.
/// </summary>
public static class StudyDefinitionJson
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The most bytes a study file may hold, 4 MiB: what the study holds must fit one journal record
    /// (<see cref="Journal.JournalFormat.MaxPayload"/>, 1 MiB, checked when a checkpoint is made, with the cause named),
    /// and the file gets room for indentation and line breaks on top.
    /// </summary>
    public const int MaxFileBytes = 4 * Journal.JournalFormat.MaxPayload;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Parses a definition from UTF-8 JSON bytes.</summary>
    public static StudyDefinition Parse(ReadOnlyMemory<byte> utf8Json)
    {
        if (utf8Json.IsEmpty)
        {
            throw new DefinitionException("", "the study file is empty; expected a JSON object like {\"name\": ..., \"parameters\": [...], ...}");
        }

        if (FirstInvalidUtf8(utf8Json.Span) is { } offset)
        {
            throw new DefinitionException("", $"the study file is not valid UTF-8 text: bad byte 0x{utf8Json.Span[offset]:X2} at byte offset {offset}");
        }

        // Editors on Windows save UTF-8 with a byte order mark; it is not JSON, but the text after it is.
        if (utf8Json.Span.StartsWith(Utf8ByteOrderMark))
        {
            utf8Json = utf8Json[Utf8ByteOrderMark.Length..];
        }

        // A NUL is valid UTF-8 but never in JSON text; JSON's own error ("'0x00' is an invalid start") hides the usual cause.
        if (utf8Json.Span.IndexOf((byte)0) is >= 0 and var nul)
        {
            throw new DefinitionException("", $"the study file holds a NUL byte at byte offset {nul}: it is binary or UTF-16, not UTF-8 text");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new DefinitionException("", $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>Parses a definition from a JSON string.</summary>
    public static StudyDefinition Parse(string json) => Parse(Encoding.UTF8.GetBytes(json ?? throw new ArgumentNullException(nameof(json))));

    /// <summary>
    /// Reads a definition from a file; errors name the file. The file is read as a stream, so a pipe or a device
    /// works too, and never past <see cref="MaxFileBytes"/>: a larger one (or an endless one, like <c>/dev/zero</c>)
    /// is a <see cref="DefinitionException"/> that names the limit.
    /// </summary>
    public static StudyDefinition Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = ReadCapped(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reading a directory fails with "access denied", which sends the user after permissions.
            throw new DefinitionException("", $"cannot read the study file '{path}': {(Directory.Exists(path) ? "it is a directory" : e.Message)}");
        }

        try
        {
            return Parse(bytes);
        }
        catch (DefinitionException e)
        {
            throw new DefinitionException(e.Path, $"{e.Problem} (in {path})");
        }
    }

    private static byte[] ReadCapped(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        if (stream.CanSeek && stream.Length > MaxFileBytes)
        {
            throw TooLarge(path, $"has {stream.Length} bytes, more than");
        }

        using var content = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (content.Length + read > MaxFileBytes)
            {
                throw TooLarge(path, "holds more than");
            }

            content.Write(chunk, 0, read);
        }

        return content.ToArray();
    }

    private static DefinitionException TooLarge(string path, string size) =>
        new("", $"the study file '{path}' {size} {MaxFileBytes} bytes ({MaxFileBytes >> 20} MiB), the most a study file may hold; is it the right file?");

    /// <summary>
    /// Reads a study that was already accepted: recorded in a journal, or sent by the master that recorded it. The
    /// rules on parameter names and text (reserved names, names sharing an <c>HPCTUNE_PARAM_*</c> variable, NUL
    /// characters) came after some studies were recorded; such a study is read as it was run, so its checkpoint stays
    /// readable. Every other check applies.
    /// </summary>
    public static StudyDefinition ReadRecorded(JsonElement root)
    {
        using (ParameterNames.ReadingRecordedStudy())
        {
            return Read(root);
        }
    }

    /// <summary>Reads a definition from a parsed JSON element.</summary>
    public static StudyDefinition Read(JsonElement root)
    {
        var study = new JsonObjectReader(root, "");
        var name = study.RequiredString("name");
        var conditionals = study.TryGet("conditionals", out _)
            ? study.RequiredArray("conditionals", "an array of conditional objects {\"name\": ..., \"values\": [...]}").Select(c => ConditionalJson.Read(c.Element, c.Path)).ToList()
            : null;
        var parameters = study.RequiredArray("parameters", "an array of parameter objects").Select(p => ReadParameter(p.Element, p.Path)).ToList();
        var metrics = study.RequiredArray("metrics", "an array of metric objects").Select(m => ReadMetric(m.Element, m.Path)).ToList();
        var budget = study.TryGet("observation_budget", out var b) ? JsonObjectReader.AsInt(b, "observation_budget") : throw new DefinitionException("observation_budget", "missing; expected a positive integer");
        var bandwidth = study.OptionalInt("parallel_bandwidth") ?? 1;
        var maxFailures = study.OptionalInt("max_failures");
        var algorithm = study.TryGet("algorithm", out var a) ? ReadAlgorithm(a) : null;
        var metadata = study.TryGet("metadata", out var m) ? ReadMetadata(m, "metadata") : null;
        var earlyStopping = study.TryGet("early_stopping", out var e) ? ReadEarlyStopping(e) : null;
        study.RejectUnknownKeys();
        return new StudyDefinition(name, parameters, metrics, budget, bandwidth, maxFailures, algorithm, metadata, conditionals, earlyStopping);
    }

    private static ParameterDefinition ReadParameter(JsonElement element, string path)
    {
        var reader = new JsonObjectReader(element, path);
        var name = reader.RequiredString("name");
        var typeText = reader.OptionalString("type") ?? "double";
        var type = typeText switch
        {
            "double" => ParameterType.Double,
            "int" => ParameterType.Int,
            "categorical" => ParameterType.Categorical,
            _ => throw new DefinitionException(reader.PathOf("type"), $"unknown type '{typeText}'; expected double, int or categorical"),
        };

        ParameterDefinition parameter;
        if (type == ParameterType.Categorical)
        {
            var values = reader.RequiredArray("categorical_values", "an array of strings")
                .Select(v => JsonObjectReader.AsString(v.Element, v.Path)).ToList();
            parameter = ParameterDefinition.Create(name, type, 0, 0, Transformation.None, null, values);
        }
        else
        {
            var bounds = new JsonObjectReader(reader.Required("bounds", "an object {\"min\": ..., \"max\": ...}"), reader.PathOf("bounds"));
            var min = bounds.RequiredNumber("min");
            var max = bounds.RequiredNumber("max");
            bounds.RejectUnknownKeys();
            var transformationText = reader.OptionalString("transformation") ?? "none";
            var transformation = transformationText switch
            {
                "none" => Transformation.None,
                "log" => Transformation.Log,
                _ => throw new DefinitionException(reader.PathOf("transformation"), $"unknown transformation '{transformationText}'; expected none or log"),
            };
            var step = reader.OptionalNumber("step");
            parameter = ParameterDefinition.Create(name, type, min, max, transformation, step, []);
        }

        if (reader.TryGet("conditions", out var conditions))
        {
            parameter = parameter.WithConditions(ConditionalJson.ReadConditions(conditions, reader.PathOf("conditions")));
        }

        reader.RejectUnknownKeys();
        parameter.Validate(path);
        return parameter;
    }

    private static MetricDefinition ReadMetric(JsonElement element, string path)
    {
        var reader = new JsonObjectReader(element, path);
        var name = reader.RequiredString("name");
        var objectiveText = reader.OptionalString("objective") ?? "maximize";
        var objective = objectiveText switch
        {
            "maximize" => MetricObjective.Maximize,
            "minimize" => MetricObjective.Minimize,
            _ => throw new DefinitionException(reader.PathOf("objective"), $"unknown objective '{objectiveText}'; expected maximize or minimize"),
        };
        var strategyText = reader.OptionalString("strategy") ?? "optimize";
        var strategy = strategyText switch
        {
            "optimize" => MetricStrategy.Optimize,
            "constraint" => MetricStrategy.Constraint,
            "store" => MetricStrategy.Store,
            _ => throw new DefinitionException(reader.PathOf("strategy"), $"unknown strategy '{strategyText}'; expected optimize, constraint or store"),
        };
        var threshold = reader.OptionalNumber("threshold");
        reader.RejectUnknownKeys();
        return new MetricDefinition(name, objective, strategy, threshold);
    }

    private static AlgorithmSpec ReadAlgorithm(JsonElement element)
    {
        var reader = new JsonObjectReader(element, "algorithm");
        var name = reader.OptionalString("name") ?? AlgorithmSpec.DefaultName;
        var seed = reader.OptionalLong("seed");
        // The rest belongs to the algorithm, kept as written: its provider checks it when the definition is made.
        var options = element.EnumerateObject().Where(p => p.Name is not ("name" or "seed")).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        return new AlgorithmSpec(name, seed) { Options = options };
    }

    private static EarlyStoppingSpec? ReadEarlyStopping(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var reader = new JsonObjectReader(element, "early_stopping");
        var name = reader.TryGet("name", out _) ? reader.RequiredString("name") : throw new DefinitionException("early_stopping.name", "missing; expected the rule's name, e.g. \"asha\" or \"median\"");
        // The rest belongs to the rule, kept as written: its provider checks it when the definition is made.
        var options = element.EnumerateObject().Where(p => p.Name != "name").ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        return new EarlyStoppingSpec(name) { Options = options };
    }

    private static Dictionary<string, Scalar> ReadMetadata(JsonElement element, string path)
    {
        _ = new JsonObjectReader(element, path); // object shape and duplicate keys
        var result = new Dictionary<string, Scalar>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            result[property.Name] = JsonObjectReader.AsScalar(property.Value, JsonObjectReader.Child(path, property.Name));
        }

        return result;
    }

    /// <summary>Writes <paramref name="definition"/> as indented JSON.</summary>
    public static string Write(StudyDefinition definition)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, definition);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes <paramref name="definition"/> to a JSON writer.</summary>
    public static void Write(Utf8JsonWriter writer, StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(definition);
        writer.WriteStartObject();
        writer.WriteString("name", definition.Name);
        ConditionalJson.WriteConditionals(writer, definition.Space.Conditionals);
        writer.WriteStartArray("parameters");
        foreach (var p in definition.Space.Parameters)
        {
            WriteParameter(writer, p);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("metrics");
        foreach (var m in definition.Metrics)
        {
            writer.WriteStartObject();
            writer.WriteString("name", m.Name);
            writer.WriteString("objective", m.Objective == MetricObjective.Maximize ? "maximize" : "minimize");
            writer.WriteString("strategy", m.Strategy.ToString().ToLowerInvariant());
            if (m.Threshold is { } threshold)
            {
                writer.WriteNumber("threshold", threshold);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("observation_budget", definition.ObservationBudget);
        writer.WriteNumber("parallel_bandwidth", definition.ParallelBandwidth);
        writer.WriteNumber("max_failures", definition.MaxFailures);
        writer.WriteStartObject("algorithm");
        writer.WriteString("name", definition.Algorithm.Name);
        if (definition.Algorithm.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        foreach (var (option, value) in definition.Algorithm.Options)
        {
            writer.WritePropertyName(option);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
        if (definition.EarlyStopping is { } earlyStopping)
        {
            writer.WriteStartObject("early_stopping");
            writer.WriteString("name", earlyStopping.Name);
            foreach (var (option, value) in earlyStopping.Options)
            {
                writer.WritePropertyName(option);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartObject("metadata");
        foreach (var (key, value) in definition.Metadata)
        {
            WriteScalar(writer, key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a named string, number or boolean value.</summary>
    public static void WriteScalar(Utf8JsonWriter writer, string key, Scalar value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsText)
        {
            writer.WriteString(key, value.Text);
        }
        else if (value.IsBoolean)
        {
            writer.WriteBoolean(key, value.Boolean);
        }
        else
        {
            writer.WriteNumber(key, value.Number);
        }
    }

    /// <summary>Writes one parameter object as the study JSON holds it.</summary>
    internal static void WriteParameter(Utf8JsonWriter writer, ParameterDefinition p)
    {
        writer.WriteStartObject();
        writer.WriteString("name", p.Name);
        writer.WriteString("type", p.Type.ToString().ToLowerInvariant());
        if (p.Type == ParameterType.Categorical)
        {
            writer.WriteStartArray("categorical_values");
            foreach (var v in p.CategoricalValues)
            {
                writer.WriteStringValue(v);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartObject("bounds");
            writer.WriteNumber("min", p.Min);
            writer.WriteNumber("max", p.Max);
            writer.WriteEndObject();
            if (p.Transformation == Transformation.Log)
            {
                writer.WriteString("transformation", "log");
            }

            if (p.Step is { } step)
            {
                writer.WriteNumber("step", step);
            }
        }

        ConditionalJson.WriteConditions(writer, p.Conditions);
        writer.WriteEndObject();
    }

    private static int? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    private static string FirstSentence(string message)
    {
        // The position is already in our message, 1-based; the reader repeats it 0-based, which reads as a contradiction.
        foreach (var tail in (ReadOnlySpan<string>)[" LineNumber:", " Path:"])
        {
            var cut = message.IndexOf(tail, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message;
    }
}
