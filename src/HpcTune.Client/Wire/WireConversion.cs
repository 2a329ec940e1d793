using System.Globalization;
using System.Text.Json;
using HpcTune.Service.Protocol;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using WireTrial = HpcTune.Service.Protocol.Trial;

namespace HpcTune.Client.Wire;

/// <summary>The proto's messages as the client's public result types.</summary>
internal static class WireConversion
{
    public static RemoteTrial ToTrial(WireTrial trial, SearchSpace? space)
    {
        var parameters = WireValues.ToScalars(trial.Assignments, "parameter");
        return new RemoteTrial
        {
            Id = trial.Id,
            State = ToState(trial.State),
            Parameters = ToAssignment(parameters, space),
            Values = new Dictionary<string, double>(trial.Values, StringComparer.Ordinal),
            Metadata = WireValues.ToScalars(trial.Metadata, "metadata"),
            Worker = trial.Worker,
            FailureReason = trial.FailureReason.Length > 0 ? trial.FailureReason : trial.Reason.Length > 0 ? trial.Reason : null,
            Lineage = trial.Lineage is { } lineage ? ToLineage(lineage) : null,
            CheckpointDirectory = trial.CheckpointDir.Length > 0 ? trial.CheckpointDir : null,
            ParentCheckpointDirectory = trial.ParentCheckpointDir.Length > 0 ? trial.ParentCheckpointDir : null,
            Created = ToTime(trial.Created),
            Finished = ToTime(trial.Finished),
            Reports = [.. trial.Reports.Select(r => new RemoteProgressReport(r.Step, new Dictionary<string, double>(r.Values, StringComparer.Ordinal)))],
        };
    }

    private static TrialLineage ToLineage(Lineage lineage) => new(
        lineage.HasMember ? lineage.Member : null,
        lineage.HasGeneration ? lineage.Generation : null,
        lineage.HasParentTrialId ? lineage.ParentTrialId : null,
        lineage.CheckpointDir.Length > 0 ? lineage.CheckpointDir : null,
        lineage.HasStartStep ? lineage.StartStep : null,
        lineage.HasEndStep ? lineage.EndStep : null);

    /// <summary>
    /// In the space's order when the space is known and accepts the values; otherwise in the server's order: a trial
    /// is shown as it was sent rather than not at all.
    /// </summary>
    private static Assignment ToAssignment(Dictionary<string, Values.Scalar> parameters, SearchSpace? space)
    {
        if (space is not null)
        {
            try
            {
                return space.CreateAssignment(parameters);
            }
            catch (ArgumentException)
            {
                // a space this client reads differently (a newer server): the values as sent
            }
        }

        return new Assignment([.. parameters.Keys], [.. parameters.Values]);
    }

    public static TrialState ToState(string state) =>
        Enum.TryParse<TrialState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !state.Any(char.IsDigit)
            ? parsed
            : throw new FormatException($"the server sent an unknown trial state '{state}'");

    /// <summary>A state for the wire: open, completed, failed, interrupted, deleted or pruned.</summary>
    public static string ToWire(TrialState state) => state.ToString().ToLowerInvariant();

    public static RemoteStudyStatus ToStatus(string status) => status switch
    {
        "running" => RemoteStudyStatus.Running,
        "done" => RemoteStudyStatus.Done,
        "broken" => RemoteStudyStatus.Broken,
        "stopped" => RemoteStudyStatus.Stopped,
        _ => throw new FormatException($"the server sent an unknown study status '{status}'"),
    };

    public static TrialCounts ToCounts(Counts? counts) => counts is null
        ? new TrialCounts()
        : new TrialCounts
        {
            Completed = counts.Completed,
            Open = counts.Open,
            Failed = counts.Failed,
            Interrupted = counts.Interrupted,
            Deleted = counts.Deleted,
            Pruned = counts.Pruned,
        };

    public static StudyDescription ToDescription(StudyInfo info)
    {
        var json = WireValues.ToJson(info.Definition);
        return new StudyDescription
        {
            Id = info.Id,
            Name = info.Name,
            Status = ToStatus(info.Status),
            StatusReason = info.StatusReason,
            ObservationBudget = info.ObservationBudget,
            ParallelBandwidth = info.ParallelBandwidth,
            Counts = ToCounts(info.Counts),
            DefinitionJson = json,
            Definition = ReadDefinition(json),
        };
    }

    /// <summary>The recorded definition, read as a checkpoint's is; null when this client cannot read it.</summary>
    private static StudyDefinition? ReadDefinition(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return StudyDefinitionJson.ReadRecorded(document.RootElement);
        }
        catch (Exception e) when (e is DefinitionException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    public static StudyStatistics ToStatistics(StudyStats stats, SearchSpace? space) => new()
    {
        Id = stats.Id,
        Status = ToStatus(stats.Status),
        Counts = ToCounts(stats.Counts),
        ObservationBudget = stats.ObservationBudget,
        Best = stats.Best is { } best ? ToTrial(best, space) : null,
        ParetoFront = [.. stats.ParetoFront.Select(t => ToTrial(t, space))],
        Start = ToTime(stats.Start),
        Finish = ToTime(stats.Finish),
        Duration = TimeSpan.FromSeconds(double.IsFinite(stats.DurationSeconds) ? Math.Max(0, stats.DurationSeconds) : 0),
        OpenByWorker = new Dictionary<string, int>(stats.OpenByWorker, StringComparer.Ordinal),
    };

    public static ObserveOutcome ToOutcome(ObserveResponse response, SearchSpace? space) => new()
    {
        Recorded = response.Recorded,
        Duplicate = response.Duplicate,
        Problem = response.Problem,
        Pruned = response.Pruned,
        Trial = response.Trial is { } trial ? ToTrial(trial, space) : null,
    };

    private static DateTimeOffset? ToTime(string text) =>
        text.Length == 0 ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time
        : throw new FormatException($"the server sent a time that is not RFC 3339: '{text}'");
}
