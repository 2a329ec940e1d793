using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using HpcTune.Study;
using HpcTune.Values;

namespace HpcTune.Transport;

/// <summary>
/// Message bytes: "HT", format version (4), type (1 ready, 2 welcome, 3 suggestion, 4 result, 5 stop, 6 heartbeat,
/// 7 abandon, 9 leave, 10 report, 11 report answer), then one UTF-8 JSON object; or type 8, a bundle: each message's own bytes preceded by their
/// length (4 bytes, little-endian). <see cref="Decode"/> throws <see cref="FormatException"/> for anything else, so a
/// bad message from a worker is reported, never a crash. Any transport that carries bytes (MPI, a socket) uses it.
/// </summary>
internal static class MessageCodec
{
    /// <summary>The format version written and accepted.</summary>
    /// <remarks>4: reports and their answers, lineage and checkpoint directories with a suggestion.</remarks>
    public const byte Version = 4;

    private const byte BundleType = 8;

    private static ReadOnlySpan<byte> Magic => "HT"u8;

    /// <summary>
    /// The byte messages that carry <paramref name="messages"/> (all for the same worker, in order): one message alone
    /// as itself, several as bundles of at most <paramref name="maxBytes"/> each (a message larger than that travels alone).
    /// </summary>
    public static List<byte[]> Pack(IReadOnlyList<WireMessage> messages, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var packed = new List<byte[]>();
        var parts = new List<byte[]>();
        var size = 4;
        void Close()
        {
            if (parts.Count == 1)
            {
                packed.Add(parts[0]);
            }
            else if (parts.Count > 1)
            {
                packed.Add(Bundle(parts, size));
            }

            parts.Clear();
            size = 4;
        }

        foreach (var message in messages)
        {
            var bytes = message is BundleMessage ? throw new ArgumentException("bundles do not nest", nameof(messages)) : Encode(message);
            if ((long)size + 4 + bytes.Length > maxBytes)
            {
                Close();
            }

            parts.Add(bytes);
            size += 4 + bytes.Length;
        }

        Close();
        return packed;
    }

    private static byte[] Bundle(List<byte[]> parts, int size)
    {
        var bundle = new byte[size];
        Magic.CopyTo(bundle);
        bundle[2] = Version;
        bundle[3] = BundleType;
        var at = 4;
        foreach (var part in parts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bundle.AsSpan(at), part.Length);
            part.CopyTo(bundle, at + 4);
            at += 4 + part.Length;
        }

        return bundle;
    }

    private static BundleMessage Unbundle(ReadOnlySpan<byte> body)
    {
        var messages = new List<WireMessage>();
        while (body.Length > 0)
        {
            var length = body.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(body) : -1;
            if (length < 4 || length > body.Length - 4)
            {
                throw new FormatException($"bundle truncated: message {messages.Count + 1} claims {length} bytes, {Math.Max(body.Length - 4, 0)} remain");
            }

            var part = body.Slice(4, length);
            if (part.Length >= 4 && part[3] == BundleType)
            {
                throw new FormatException($"bundle holds a bundle (message {messages.Count + 1})");
            }

            try
            {
                messages.Add(Decode(part));
            }
            catch (FormatException e)
            {
                // The framing holds, so the bundle's other messages (results, perhaps) still count.
                messages.Add(new MalformedMessage($"message {messages.Count + 1} of a bundle: {e.Message}"));
            }

            body = body[(4 + length)..];
        }

        return messages.Count > 0 ? new BundleMessage(messages) : throw new FormatException("empty bundle");
    }

    /// <summary>The bytes of <paramref name="message"/> (a bundle of one message is that message's bytes).</summary>
    public static byte[] Encode(WireMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is BundleMessage bundle)
        {
            return Pack(bundle.Messages, int.MaxValue) is [var one] ? one : throw new ArgumentException("a bundle needs at least one message", nameof(message));
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Magic);
        buffer.Write([Version, TypeOf(message)]);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (message)
            {
                case ReadyMessage r:
                    w.WriteString("host", r.Host);
                    w.WriteNumber("rank", r.Rank);
                    break;
                case WelcomeMessage welcome:
                    w.WritePropertyName("study");
                    StudyDefinitionJson.Write(w, welcome.Study);
                    w.WritePropertyName("objective");
                    using (var objective = JsonDocument.Parse(welcome.ObjectiveJson))
                    {
                        objective.RootElement.WriteTo(w);
                    }

                    if (welcome.HeartbeatSeconds is { } every)
                    {
                        w.WriteNumber("heartbeat_s", every);
                    }

                    break;
                case SuggestionMessage s:
                    w.WriteNumber("trial", s.TrialId);
                    w.WriteNumber("attempt", s.Attempt);
                    WriteScalars(w, "assignment", s.Assignment);
                    if (s.Lineage is { } lineage)
                    {
                        WriteLineage(w, lineage);
                    }

                    if (s.Checkpoints is { } checkpoints)
                    {
                        w.WriteString("checkpoint_dir", checkpoints.Directory);
                        if (checkpoints.ParentDirectory is { } parent)
                        {
                            w.WriteString("parent_checkpoint_dir", parent);
                        }
                    }

                    break;
                case ReportMessage report:
                    w.WriteNumber("trial", report.TrialId);
                    w.WriteNumber("step", report.Step);
                    w.WriteStartObject("values");
                    foreach (var (name, value) in report.Values)
                    {
                        w.WriteNumber(name, value);
                    }

                    w.WriteEndObject();
                    break;
                case ReportAnswerMessage answer:
                    w.WriteNumber("trial", answer.TrialId);
                    w.WriteNumber("step", answer.Step);
                    w.WriteBoolean("stop", answer.Stop);
                    w.WriteBoolean("recorded", answer.Recorded);
                    if (answer.Reason is { } reason)
                    {
                        w.WriteString("reason", reason);
                    }

                    break;
                case ResultMessage result:
                    w.WriteNumber("trial", result.TrialId);
                    if (result.Values is { } values)
                    {
                        w.WriteStartObject("values");
                        foreach (var (name, value) in values)
                        {
                            w.WriteNumber(name, value);
                        }

                        w.WriteEndObject();
                    }

                    if (result.Failure is { } failure)
                    {
                        w.WriteString("failure", failure);
                    }

                    WriteScalars(w, "metadata", result.Metadata);
                    w.WriteNumber("seconds", result.Seconds);
                    break;
                case StopMessage stop:
                    w.WriteString("reason", stop.Reason);
                    break;
                case HeartbeatMessage heartbeat:
                    w.WriteStartArray("trials");
                    foreach (var id in heartbeat.TrialIds)
                    {
                        w.WriteNumberValue(id);
                    }

                    w.WriteEndArray();
                    break;
                case AbandonMessage abandon:
                    w.WriteNumber("trial", abandon.TrialId);
                    w.WriteString("reason", abandon.Reason);
                    break;
                case LeaveMessage leave:
                    w.WriteString("reason", leave.Reason);
                    break;
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The message in <paramref name="data"/>; <see cref="FormatException"/> naming what is wrong otherwise.</summary>
    public static WireMessage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || !data[..2].SequenceEqual(Magic))
        {
            throw new FormatException($"not an HpcTune message ({data.Length} bytes, no HT marker)");
        }

        if (data[2] != Version)
        {
            throw new FormatException($"message format version {data[2]}; this HpcTune speaks version {Version} (every worker must run the same HpcTune)");
        }

        if (data[3] == BundleType)
        {
            return Unbundle(data[4..]);
        }

        try
        {
            var reader = new Utf8JsonReader(data[4..]);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return data[3] switch
            {
                1 => new ReadyMessage(root.GetProperty("host").GetString() ?? "", root.GetProperty("rank").GetInt32()),
                2 => new WelcomeMessage(
                    StudyDefinitionJson.ReadRecorded(root.GetProperty("study")),
                    root.GetProperty("objective").GetRawText(),
                    root.TryGetProperty("heartbeat_s", out var every) ? every.GetDouble() : null),
                3 => new SuggestionMessage(
                    root.GetProperty("trial").GetInt64(),
                    root.GetProperty("attempt").GetInt32(),
                    ReadScalars(root.GetProperty("assignment")),
                    root.TryGetProperty("lineage", out var lineage) ? ReadLineage(lineage) : null,
                    root.TryGetProperty("checkpoint_dir", out var directory)
                        ? new Trials.TrialCheckpointPaths(directory.GetString() ?? throw new FormatException("checkpoint_dir is null"), root.TryGetProperty("parent_checkpoint_dir", out var parent) ? parent.GetString() : null)
                        : null),
                4 => new ResultMessage(
                    root.GetProperty("trial").GetInt64(),
                    root.TryGetProperty("values", out var values) ? values.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal) : null,
                    root.TryGetProperty("failure", out var failure) ? failure.GetString() : null,
                    ReadScalars(root.GetProperty("metadata")),
                    root.GetProperty("seconds").GetDouble()),
                5 => new StopMessage(root.GetProperty("reason").GetString() ?? ""),
                6 => new HeartbeatMessage([.. root.GetProperty("trials").EnumerateArray().Select(e => e.GetInt64())]),
                7 => new AbandonMessage(root.GetProperty("trial").GetInt64(), root.GetProperty("reason").GetString() ?? ""),
                9 => new LeaveMessage(root.GetProperty("reason").GetString() ?? ""),
                10 => new ReportMessage(
                    root.GetProperty("trial").GetInt64(),
                    root.GetProperty("step").GetInt64(),
                    root.GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal)),
                11 => new ReportAnswerMessage(
                    root.GetProperty("trial").GetInt64(),
                    root.GetProperty("step").GetInt64(),
                    root.GetProperty("stop").GetBoolean(),
                    root.TryGetProperty("reason", out var why) ? why.GetString() : null,
                    root.GetProperty("recorded").GetBoolean()),
                _ => throw new FormatException($"unknown message type {data[3]}"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or DefinitionException or ArgumentException)
        {
            throw new FormatException($"message type {data[3]} cannot be read: {e.Message}", e);
        }
    }

    private static byte TypeOf(WireMessage message) => message switch
    {
        ReadyMessage => 1,
        WelcomeMessage => 2,
        SuggestionMessage => 3,
        ResultMessage => 4,
        StopMessage => 5,
        HeartbeatMessage => 6,
        AbandonMessage => 7,
        LeaveMessage => 9,
        ReportMessage => 10,
        ReportAnswerMessage => 11,
        _ => throw new ArgumentException($"no wire form for {message.GetType().Name}"),
    };

    private static void WriteLineage(Utf8JsonWriter w, Trials.TrialLineage lineage)
    {
        w.WriteStartObject("lineage");
        WriteOptional(w, "member", lineage.Member);
        WriteOptional(w, "generation", lineage.Generation);
        WriteOptional(w, "parent", lineage.ParentTrialId);
        if (lineage.CheckpointDirectory is { } directory)
        {
            w.WriteString("checkpoint_dir", directory);
        }

        WriteOptional(w, "start_step", lineage.StartStep);
        WriteOptional(w, "end_step", lineage.EndStep);
        w.WriteEndObject();

        static void WriteOptional(Utf8JsonWriter w, string name, long? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, v);
            }
        }
    }

    private static Trials.TrialLineage ReadLineage(JsonElement e) => new(
        e.TryGetProperty("member", out var member) ? member.GetInt32() : null,
        e.TryGetProperty("generation", out var generation) ? generation.GetInt32() : null,
        e.TryGetProperty("parent", out var parent) ? parent.GetInt64() : null,
        e.TryGetProperty("checkpoint_dir", out var directory) ? directory.GetString() : null,
        e.TryGetProperty("start_step", out var start) ? start.GetInt64() : null,
        e.TryGetProperty("end_step", out var end) ? end.GetInt64() : null);

    private static void WriteScalars(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, Scalar> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            StudyDefinitionJson.WriteScalar(w, key, value);
        }

        w.WriteEndObject();
    }

    private static Dictionary<string, Scalar> ReadScalars(JsonElement element) =>
        element.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind switch
            {
                JsonValueKind.String => Scalar.FromText(p.Value.GetString()!),
                JsonValueKind.True or JsonValueKind.False => Scalar.FromBoolean(p.Value.GetBoolean()),
                _ => Scalar.FromNumber(p.Value.GetDouble()),
            },
            StringComparer.Ordinal);
}
