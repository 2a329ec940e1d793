using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;
using Proto = HpcTune.Service.Protocol;

namespace HpcTune.Service.Calls;

/// <summary>The study's types to and from the messages of studies.proto.</summary>
internal static class ProtoConvert
{
    /// <summary>A trial with the absolute checkpoint directories a worker needs to run it (a suggest reply, GetTrial).</summary>
    public static Proto.Trial ToProto(Trial trial, TrialCheckpointPaths? paths)
    {
        var message = ToProto(trial);
        if (paths is not null)
        {
            message.CheckpointDir = paths.Directory;
            message.ParentCheckpointDir = paths.ParentDirectory ?? "";
        }

        return message;
    }

    public static Proto.Trial ToProto(Trial trial)
    {
        var message = new Proto.Trial
        {
            Id = trial.Id,
            State = StateName(trial.State),
            Worker = trial.Worker,
            FailureReason = trial.State == TrialState.Failed ? trial.Reason ?? "" : "",
            Reason = trial.State is TrialState.Pruned or TrialState.Interrupted ? trial.Reason ?? "" : "",
            Lineage = trial.Lineage is { } lineage ? ToProto(lineage) : null,
            Created = Time(trial.CreatedAt),
            Finished = trial.FinishedAt is { } finished ? Time(finished) : "",
        };
        foreach (var (name, value) in trial.Assignment)
        {
            message.Assignments[name] = ToValue(value);
        }

        if (trial.Values is { } values)
        {
            foreach (var (name, value) in values)
            {
                message.Values[name] = value;
            }
        }

        foreach (var (name, value) in trial.Metadata)
        {
            message.Metadata[name] = ToValue(value);
        }

        foreach (var report in trial.Reports)
        {
            var progress = new Proto.ProgressReport { Step = report.Step };
            foreach (var (name, value) in report.Values)
            {
                progress.Values[name] = value;
            }
            message.Reports.Add(progress);
        }

        return message;
    }

    private static Proto.Lineage ToProto(TrialLineage lineage)
    {
        var message = new Proto.Lineage { CheckpointDir = lineage.CheckpointDirectory ?? "" };
        if (lineage.Member is { } member)
        {
            message.Member = member;
        }

        if (lineage.Generation is { } generation)
        {
            message.Generation = generation;
        }

        if (lineage.ParentTrialId is { } parent)
        {
            message.ParentTrialId = parent;
        }

        if (lineage.StartStep is { } start)
        {
            message.StartStep = start;
        }

        if (lineage.EndStep is { } end)
        {
            message.EndStep = end;
        }

        return message;
    }

    public static Value ToValue(Scalar scalar) => HpcTune.Client.Wire.WireValues.ToValue(scalar); // the client's, so both ends write a value alike

    /// <summary>A parameter value or metadata value: a finite number, a string or (<paramref name="booleans"/>) a boolean.</summary>
    public static Scalar FromValue(Value value, string path, bool booleans) => value.KindCase switch
    {
        Value.KindOneofCase.NumberValue when double.IsFinite(value.NumberValue) => Scalar.FromNumber(value.NumberValue),
        Value.KindOneofCase.StringValue => Scalar.FromText(value.StringValue),
        Value.KindOneofCase.BoolValue when booleans => Scalar.FromBoolean(value.BoolValue),
        _ => throw new ArgumentException($"{path}: expected a finite number{(booleans ? ", a string or a boolean" : " or a string")}, got {JsonFormatter.Default.Format(value)}"),
    };

    /// <summary>An assignment for <see cref="Tuner.Insert"/>, which checks it against the space.</summary>
    public static Assignment ReadAssignment(MapField<string, Value> assignments)
    {
        if (assignments.Count == 0)
        {
            throw new ArgumentException("assignments: give every parameter of the study, name → number or string");
        }

        var names = assignments.Keys.ToList();
        return new Assignment(names, [.. names.Select(n => FromValue(assignments[n], $"assignments.{n}", booleans: false))]);
    }

    public static Dictionary<string, Scalar> ReadMetadata(MapField<string, Value> metadata) =>
        metadata.ToDictionary(p => p.Key, p => FromValue(p.Value, $"metadata.{p.Key}", booleans: true), StringComparer.Ordinal);

    public static string StateName(TrialState state) => state.ToString().ToLowerInvariant();

    /// <summary>A state named in a request (any case); empty: null.</summary>
    public static TrialState? ParseState(string state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return null;
        }

        return System.Enum.TryParse<TrialState>(state, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(state, out _)
            ? parsed
            : throw new ArgumentException($"state: '{state}' is not a trial state; use one of {string.Join(", ", System.Enum.GetValues<TrialState>().Select(StateName))}");
    }

    public static string StudyStatusName(StudyProgress progress, string? stopReason) => progress.Status switch
    {
        StudyStatus.Completed => "done",
        StudyStatus.Broken => "broken",
        _ => stopReason is null ? "running" : "stopped",
    };

    public static Proto.Counts ToCounts(IReadOnlyList<Trial> trials)
    {
        var counts = new Proto.Counts();
        foreach (var trial in trials)
        {
            switch (trial.State)
            {
                case TrialState.Completed: counts.Completed++; break;
                case TrialState.Open: counts.Open++; break;
                case TrialState.Failed: counts.Failed++; break;
                case TrialState.Interrupted: counts.Interrupted++; break;
                case TrialState.Deleted: counts.Deleted++; break;
                case TrialState.Pruned: counts.Pruned++; break;
            }
        }

        return counts;
    }

    public static Struct DefinitionStruct(StudyDefinition definition) => HpcTune.Client.Wire.WireValues.ToStruct(StudyDefinitionJson.Write(definition));

    /// <summary>The study JSON of a request (CONTRACTS.md §1), checked like a study file.</summary>
    public static StudyDefinition ReadDefinition(Struct? definition) =>
        definition is null || definition.Fields.Count == 0
            ? throw new ArgumentException("definition: give the study JSON (CONTRACTS.md §1): {\"name\": ..., \"parameters\": [...], \"metrics\": [...], ...}")
            : StudyDefinitionJson.Parse(JsonFormatter.Default.Format(definition));

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
