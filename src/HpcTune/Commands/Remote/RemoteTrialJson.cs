using System.Text;
using System.Text.Json;
using HpcTune.Client;
using HpcTune.Study;
using HpcTune.Values;

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
        WriteScalars(w, "parameters", trial.Parameters);
        WriteNumbers(w, "values", trial.Values);
        w.WriteString("worker", trial.Worker);
        WriteTime(w, "created", trial.Created);
        WriteTime(w, "finished", trial.Finished);
        w.WriteString("reason", trial.FailureReason);
        WriteScalars(w, "metadata", trial.Metadata);
        w.WriteStartArray("reports");
        foreach (var report in trial.Reports)
        {
            w.WriteStartObject();
            w.WriteNumber("step", report.Step);
            WriteNumbers(w, "values", report.Values);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        TrialModelJson.WriteLineage(w, trial.Lineage);
        if (trial.CheckpointDirectory is { } directory)
        {
            // Absolute, on the server's file system: where an ask/tell job writes the trial's checkpoint.
            w.WriteString("checkpoint_dir", directory);
            w.WriteString("parent_checkpoint_dir", trial.ParentCheckpointDirectory);
        }

        w.WriteEndObject();
    }

    private static void WriteScalars(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, Scalar>> members)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in members)
        {
            StudyDefinitionJson.WriteScalar(w, key, value);
        }

        w.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, double>> members)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in members)
        {
            w.WriteNumber(key, value);
        }

        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, t);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
