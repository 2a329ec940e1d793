using Grpc.Core;
using HpcTune.Service.Protocol;
using HpcTune.Service.Studies;

namespace HpcTune.Service.Calls;

/// <summary>
/// The calls of studies.proto about studies as a whole. Every call that changes a study answers only once what it
/// changed is on stable storage (<see cref="StudyHost.DurableAsync"/>).
/// </summary>
internal sealed partial class StudiesService(StudyCatalog catalog, WorkerNames names) : Protocol.Studies.StudiesBase
{
    public override Task<StudyInfo> CreateStudy(CreateStudyRequest request, ServerCallContext context)
    {
        var definition = ProtoConvert.ReadDefinition(request.Definition);
        var (host, _) = catalog.Create(request.Id, definition);
        return DurableInfoAsync(host);
    }

    public override Task<ListStudiesResponse> ListStudies(ListStudiesRequest request, ServerCallContext context)
    {
        var response = new ListStudiesResponse();
        response.Studies.AddRange(catalog.All.Select(Info));
        return Task.FromResult(response);
    }

    public override Task<StudyInfo> GetStudy(GetStudyRequest request, ServerCallContext context) => Task.FromResult(Info(catalog.Find(request.Study)));

    public override async Task<StudyStats> Stats(StatsRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var tuner = host.Tuner;
        var trials = tuner.Trials;
        var progress = tuner.Progress;
        var stats = new StudyStats
        {
            Id = host.Id,
            Status = ProtoConvert.StudyStatusName(progress, tuner.StopReason),
            Counts = ProtoConvert.ToCounts(trials),
            ObservationBudget = progress.Budget,
        };
        if (tuner.Definition.IsMultiObjective)
        {
            stats.ParetoFront.AddRange(tuner.ParetoFront.Select(ProtoConvert.ToProto));
        }
        else if (tuner.Best is { } best)
        {
            stats.Best = ProtoConvert.ToProto(best);
        }

        var start = host.Checkpoint.Runs.Count > 0 ? host.Checkpoint.Runs[0].Time : host.Started;
        if (trials.Count > 0 && trials[0].CreatedAt < start)
        {
            start = trials[0].CreatedAt;
        }

        DateTimeOffset? finish = progress.Status == Tuning.StudyStatus.Running ? null : trials.Max(t => t.FinishedAt) ?? DateTimeOffset.UtcNow;
        stats.Start = ProtoConvert.Time(start);
        stats.Finish = finish is { } f ? ProtoConvert.Time(f) : "";
        stats.DurationSeconds = ((finish ?? DateTimeOffset.UtcNow) - start).TotalSeconds;
        foreach (var open in trials.Where(t => t.State == Trials.TrialState.Open))
        {
            stats.OpenByWorker[open.Worker] = stats.OpenByWorker.GetValueOrDefault(open.Worker) + 1;
        }

        return await Task.FromResult(stats).ConfigureAwait(false);
    }

    public override Task<StudyInfo> Stop(StopRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        host.Hub.StopHandingOut(string.IsNullOrWhiteSpace(request.Reason) ? "stopped by a client" : request.Reason);
        return Task.FromResult(Info(host));
    }

    public override async Task<DeleteOpenResponse> DeleteOpen(DeleteOpenRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var deleted = host.Tuner.DeleteOpen();
        await host.DurableAsync().ConfigureAwait(false);
        return new DeleteOpenResponse { Deleted = deleted };
    }

    public override async Task<LeaveResponse> Leave(LeaveRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var released = host.Hub.Leave(names.Of(request.Worker, context), "it left");
        await host.DurableAsync().ConfigureAwait(false);
        return new LeaveResponse { Released = released };
    }

    private static async Task<StudyInfo> DurableInfoAsync(StudyHost host)
    {
        await host.DurableAsync().ConfigureAwait(false);
        return Info(host);
    }

    private static StudyInfo Info(StudyHost host)
    {
        var tuner = host.Tuner;
        var progress = tuner.Progress;
        return new StudyInfo
        {
            Id = host.Id,
            Name = tuner.Definition.Name,
            Status = ProtoConvert.StudyStatusName(progress, tuner.StopReason),
            StatusReason = tuner.StopReason ?? (progress.Status == Tuning.StudyStatus.Broken ? "too many failed trials (max_failures)" : ""),
            ObservationBudget = progress.Budget,
            ParallelBandwidth = tuner.Definition.ParallelBandwidth,
            Counts = ProtoConvert.ToCounts(tuner.Trials),
            Definition = ProtoConvert.DefinitionStruct(tuner.Definition),
        };
    }
}
