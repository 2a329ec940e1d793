using System.Globalization;
using System.Text.Json;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Journal;

/// <summary>Turns journal entries into JSON payloads and back (docs/journal.md lists every shape).</summary>
internal static class JournalRecordCodec
{
    public static byte[] EncodeStudy(StudyDefinition definition, DateTimeOffset time) => Encode(w =>
    {
        w.WriteString("type", "study");
        WriteTime(w, time);
        w.WritePropertyName("definition");
        StudyDefinitionJson.Write(w, definition);
    });

    public static byte[] EncodeRun(RunInfo run) => Encode(w =>
    {
        w.WriteString("type", "run");
        WriteTime(w, run.Time);
        w.WriteString("host", run.Host);
        w.WriteNumber("pid", run.ProcessId);
        w.WriteString("objective", run.Objective);
        if (run.Command is { } command)
        {
            w.WriteStartArray("command");
            foreach (var argument in command)
            {
                w.WriteStringValue(argument);
            }

            w.WriteEndArray();
        }

        if (run.TrialTimeoutSeconds is { } timeout)
        {
            w.WriteNumber("trial_timeout", timeout);
        }
    });

    public static byte[] EncodeEvent(StudyEvent e) => Encode(w =>
    {
        switch (e)
        {
            case TrialCreated c:
                // A trial with a lineage is a record kind of its own: one without stays what the first edition wrote.
                Head(w, c.Lineage is null ? "created" : "spawned", c.TrialId, c.Time);
                w.WriteString("worker", c.Worker);
                WriteAssignment(w, c.Assignment);
                if (c.Lineage is { } lineage)
                {
                    JournalLineageCodec.Write(w, lineage);
                }

                break;
            case TrialReported r:
                Head(w, "reported", r.TrialId, r.Time);
                w.WriteNumber("step", r.Step);
                WriteValues(w, r.Values);
                break;
            case TrialPruned p:
                Head(w, "pruned", p.TrialId, p.Time);
                w.WriteString("reason", p.Reason);
                break;
            case TrialReissued r:
                Head(w, "reissued", r.TrialId, r.Time);
                w.WriteString("worker", r.Worker);
                break;
            case TrialObserved o:
                Head(w, "observed", o.TrialId, o.Time);
                WriteValues(w, o.Values);
                WriteMetadata(w, o.Metadata);
                break;
            case TrialFailed f:
                Head(w, "failed", f.TrialId, f.Time);
                w.WriteString("reason", f.Reason);
                WriteMetadata(w, f.Metadata);
                break;
            case TrialInterrupted i:
                Head(w, "interrupted", i.TrialId, i.Time);
                w.WriteString("reason", i.Reason);
                break;
            case TrialDeleted d:
                Head(w, "deleted", d.TrialId, d.Time);
                break;
            case TrialInserted n:
                Head(w, "inserted", n.TrialId, n.Time);
                WriteAssignment(w, n.Assignment);
                if (n.Values is { } inserted)
                {
                    WriteValues(w, inserted);
                }

                break;
            case BudgetChanged b:
                w.WriteString("type", "budget");
                WriteTime(w, b.Time);
                w.WriteNumber("observation_budget", b.ObservationBudget);
                break;
            default:
                throw new ArgumentException($"no journal form for {e.GetType().Name}");
        }
    });

    /// <summary>Decodes one payload into a <see cref="StudyDefinition"/>, <see cref="RunInfo"/> or <see cref="StudyEvent"/>.</summary>
    /// <exception cref="FormatException">The payload is not a record this version knows.</exception>
    public static object Decode(ReadOnlySpan<byte> payload, StudyDefinition? definition)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var record = new JsonObjectReader(document.RootElement, "");
            var type = record.RequiredString("type");
            var time = ReadTime(record);
            object result = type switch
            {
                "study" => StudyDefinitionJson.ReadRecorded(record.Required("definition", "the study definition")),
                "run" => new RunInfo(time, record.RequiredString("host"), (int)(record.OptionalLong("pid") ?? 0), record.RequiredString("objective"),
                    record.TryGet("command", out var command) ? [.. command.EnumerateArray().Select(a => a.GetString() ?? "")] : null,
                    record.OptionalNumber("trial_timeout")),
                "budget" => new BudgetChanged(JsonObjectReader.AsInt(record.Required("observation_budget", "an integer"), "observation_budget"), time),
                _ => DecodeTrialEvent(type, record, time, definition ?? throw new FormatException("a trial record comes before the study record")),
            };
            record.RejectUnknownKeys();
            return result;
        }
        catch (Exception e) when (e is JsonException or DefinitionException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static StudyEvent DecodeTrialEvent(string type, JsonObjectReader record, DateTimeOffset time, StudyDefinition definition)
    {
        var id = record.OptionalLong("trial") ?? throw new FormatException("trial: missing");
        return type switch
        {
            "created" => new TrialCreated(id, ReadAssignment(record.Required("assignment", "an object"), definition.Space), record.RequiredString("worker"), time),
            "reissued" => new TrialReissued(id, record.RequiredString("worker"), time),
            "observed" => new TrialObserved(id, ReadValues(record.Required("values", "an object")), ReadMetadata(record), time),
            "failed" => new TrialFailed(id, record.RequiredString("reason"), ReadMetadata(record), time),
            "interrupted" => new TrialInterrupted(id, record.RequiredString("reason"), time),
            "deleted" => new TrialDeleted(id, time),
            "spawned" => new TrialCreated(id, ReadAssignment(record.Required("assignment", "an object"), definition.Space), record.RequiredString("worker"), time,
                JournalLineageCodec.Read(record.Required("lineage", "an object"))),
            "reported" => new TrialReported(id, record.OptionalLong("step") ?? throw new FormatException("step: missing"), ReadValues(record.Required("values", "an object")), time),
            "pruned" => new TrialPruned(id, record.RequiredString("reason"), time),
            "inserted" => new TrialInserted(id, ReadAssignment(record.Required("assignment", "an object"), definition.Space),
                record.TryGet("values", out var values) ? ReadValues(values) : null, time),
            _ => throw new FormatException($"unknown record type '{type}'"),
        };
    }

    private static Assignment ReadAssignment(JsonElement element, SearchSpace space)
    {
        var values = new Dictionary<string, Scalar>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            values[property.Name] = JsonObjectReader.AsScalar(property.Value, $"assignment.{property.Name}");
        }

        return space.CreateAssignment(values);
    }

    private static Dictionary<string, double> ReadValues(JsonElement element)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            values[property.Name] = JsonObjectReader.AsNumber(property.Value, $"values.{property.Name}");
        }

        return values;
    }

    private static Dictionary<string, Scalar> ReadMetadata(JsonObjectReader record)
    {
        var metadata = new Dictionary<string, Scalar>(StringComparer.Ordinal);
        if (record.TryGet("metadata", out var element))
        {
            foreach (var property in element.EnumerateObject())
            {
                metadata[property.Name] = JsonObjectReader.AsMetadataValue(property.Value, $"metadata.{property.Name}");
            }
        }

        return metadata;
    }

    private static DateTimeOffset ReadTime(JsonObjectReader record)
    {
        var text = record.RequiredString("time");
        return DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new FormatException($"time: '{text}' is not an ISO 8601 round-trip time");
    }

    private static void Head(Utf8JsonWriter w, string type, long trialId, DateTimeOffset time)
    {
        w.WriteString("type", type);
        w.WriteNumber("trial", trialId);
        WriteTime(w, time);
    }

    private static void WriteTime(Utf8JsonWriter w, DateTimeOffset time) => w.WriteString("time", time.ToString("O", CultureInfo.InvariantCulture));

    private static void WriteAssignment(Utf8JsonWriter w, Assignment assignment)
    {
        w.WriteStartObject("assignment");
        foreach (var (name, value) in assignment)
        {
            StudyDefinitionJson.WriteScalar(w, name, value);
        }

        w.WriteEndObject();
    }

    private static void WriteValues(Utf8JsonWriter w, IReadOnlyDictionary<string, double> values)
    {
        w.WriteStartObject("values");
        foreach (var (name, value) in values)
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter w, IReadOnlyDictionary<string, Scalar> metadata)
    {
        if (metadata.Count == 0)
        {
            return;
        }

        w.WriteStartObject("metadata");
        foreach (var (key, value) in metadata)
        {
            StudyDefinitionJson.WriteScalar(w, key, value);
        }

        w.WriteEndObject();
    }

    private static byte[] Encode(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
