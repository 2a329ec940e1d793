using System.Text.Json;
using HpcTune.Trials;

namespace HpcTune.Cli.Commands;

/// <summary>A trial's <c>reports</c> (step, time, values) and <c>lineage</c> (member, generation, parent, start and end step, checkpoint directory; or null) as JSON members.</summary>
internal static class TrialModelJson
{
    public static void WriteReportsAndLineage(Utf8JsonWriter w, Trial trial)
    {
        w.WriteStartArray("reports");
        foreach (var report in trial.Reports)
        {
            w.WriteStartObject();
            WriteReport(w, report);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteLineage(w, trial.Lineage);
    }

    /// <summary>A report's <c>step</c>, <c>time</c> and <c>values</c>, inside an object the caller opened.</summary>
    public static void WriteReport(Utf8JsonWriter w, TrialReport report)
    {
        w.WriteNumber("step", report.Step);
        w.WriteString("time", report.Time);
        w.WriteStartObject("values");
        foreach (var (name, value) in report.Values)
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
    }

    /// <summary>The member <c>lineage</c>: member, generation, parent, start and end step, checkpoint directory as recorded; null outside a population.</summary>
    public static void WriteLineage(Utf8JsonWriter w, TrialLineage? trialLineage)
    {
        if (trialLineage is not { } lineage)
        {
            w.WriteNull("lineage");
            return;
        }

        w.WriteStartObject("lineage");
        WriteOptional(w, "member", lineage.Member);
        WriteOptional(w, "generation", lineage.Generation);
        WriteOptional(w, "parent", lineage.ParentTrialId);
        WriteOptional(w, "start_step", lineage.StartStep);
        WriteOptional(w, "end_step", lineage.EndStep);
        if (lineage.CheckpointDirectory is { } directory)
        {
            w.WriteString("checkpoint_dir", directory);
        }
        else
        {
            w.WriteNull("checkpoint_dir");
        }

        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
