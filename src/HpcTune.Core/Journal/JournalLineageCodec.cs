using System.Text.Json;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Journal;

/// <summary>The <c>lineage</c> object of a <c>spawned</c> journal record (docs/journal.md): only the fields that are set.</summary>
internal static class JournalLineageCodec
{
    public static void Write(Utf8JsonWriter w, TrialLineage lineage)
    {
        w.WriteStartObject("lineage");
        if (lineage.Member is { } member)
        {
            w.WriteNumber("member", member);
        }

        if (lineage.Generation is { } generation)
        {
            w.WriteNumber("generation", generation);
        }

        if (lineage.ParentTrialId is { } parent)
        {
            w.WriteNumber("parent", parent);
        }

        if (lineage.CheckpointDirectory is { } directory)
        {
            w.WriteString("checkpoint_dir", directory);
        }

        if (lineage.StartStep is { } start)
        {
            w.WriteNumber("start_step", start);
        }

        if (lineage.EndStep is { } end)
        {
            w.WriteNumber("end_step", end);
        }

        w.WriteEndObject();
    }

    public static TrialLineage Read(JsonElement element)
    {
        var reader = new JsonObjectReader(element, "lineage");
        var lineage = new TrialLineage(reader.OptionalInt("member"), reader.OptionalInt("generation"), reader.OptionalLong("parent"), reader.OptionalString("checkpoint_dir"),
            reader.OptionalLong("start_step"), reader.OptionalLong("end_step"));
        reader.RejectUnknownKeys();
        return lineage;
    }
}
