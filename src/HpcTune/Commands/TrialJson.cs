using System.Text.Json;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Cli.Commands;

/// <summary>One trial as a JSON object (status and export share it).</summary>
internal static class TrialJson
{
    /// <summary>Writes <paramref name="trial"/>; <paramref name="pareto"/>, when given, says whether it is on the Pareto front.</summary>
    public static void Write(Utf8JsonWriter w, Trial trial, bool? pareto = null)
    {
        w.WriteStartObject();
        w.WriteNumber("id", trial.Id);
        w.WriteString("state", trial.State.ToString().ToLowerInvariant());
        w.WriteStartObject("parameters");
        foreach (var (name, value) in trial.Assignment)
        {
            StudyDefinitionJson.WriteScalar(w, name, value);
        }

        w.WriteEndObject();
        w.WriteStartObject("values");
        foreach (var (name, value) in trial.Values ?? new Dictionary<string, double>())
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
        w.WriteString("worker", trial.Worker);
        w.WriteNumber("attempts", trial.Attempts);
        w.WriteString("created", trial.CreatedAt);
        w.WriteString("suggested", trial.SuggestedAt);
        if (trial.FinishedAt is { } finished)
        {
            w.WriteString("finished", finished);
        }
        else
        {
            w.WriteNull("finished");
        }

        w.WriteString("reason", trial.Reason);
        w.WriteStartObject("metadata");
        foreach (var (key, value) in trial.Metadata)
        {
            StudyDefinitionJson.WriteScalar(w, key, value);
        }

        w.WriteEndObject();
        if (pareto is { } onFront)
        {
            w.WriteBoolean("pareto", onFront);
        }

        TrialModelJson.WriteReportsAndLineage(w, trial);
        w.WriteEndObject();
    }
}
