using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcTune.Client;
using HpcTune.Study;

namespace HpcTune.Cli.Commands.Remote;

/// <summary>A served study's trials as JSON, in the shape of <see cref="TrialJson"/> (what the server sends of it).</summary>
internal static class RemoteTrialJson
{
    public static string WriteAll(IEnumerable<RemoteTrial> trials)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var trial in trials)
            {
                Write(w, trial);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter w, RemoteTrial trial)
    {
        w.WriteStartObject();
        w.WriteNumber("id", trial.Id);
        w.WriteString("state", trial.State.ToString().ToLowerInvariant());
        w.WriteStartObject("parameters");
        foreach (var (name, value) in trial.Parameters)
        {
            StudyDefinitionJson.WriteScalar(w, name, value);
        }

        w.WriteEndObject();
        w.WriteStartObject("values");
        foreach (var (name, value) in trial.Values)
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
        w.WriteString("worker", trial.Worker);
        WriteTime(w, "created", trial.Created);
        WriteTime(w, "finished", trial.Finished);
        w.WriteString("reason", trial.FailureReason);
        w.WriteStartObject("metadata");
        foreach (var (key, value) in trial.Metadata)
        {
            StudyDefinitionJson.WriteScalar(w, key, value);
        }

        w.WriteEndObject();
        w.WriteStartArray("reports");
        foreach (var report in trial.Reports)
        {
            w.WriteStartObject();
            w.WriteNumber("step", report.Step);
            w.WriteStartObject("values");
            foreach (var (name, value) in report.Values)
            {
                w.WriteNumber(name, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, t.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
