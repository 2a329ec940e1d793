using Grpc.Core;
using HpcTune.Objectives;
using HpcTune.Service.Protocol;
using HpcTune.Service.Studies;
using HpcTune.Transport;
using HpcTune.Trials;
using HpcTune.Tuning;
using Trial = HpcTune.Trials.Trial;

namespace HpcTune.Service.Calls;

// The calls of studies.proto about trials: what workers send, and what clients insert and read.
internal sealed partial class StudiesService
{
    /// <summary>The longest a suggest call waits for a trial before it answers "wait".</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    public override async Task<SuggestResponse> Suggest(SuggestRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        if (request.Count is < 0 or > 1000)
        {
            throw new ArgumentException($"count: ask for 1 to 1000 trials, got {request.Count}");
        }

        if (!double.IsFinite(request.WaitSeconds) || request.WaitSeconds < 0)
        {
            throw new ArgumentException($"wait_seconds: a number of seconds from 0 to {MaxWait.TotalSeconds}, got {request.WaitSeconds}");
        }

        var worker = names.Of(request.Worker, context);
        host.Hub.Join(worker, request.Labels.Count > 0 ? ProtoConvert.ReadMetadata(request.Labels) : null);
        var slots = Enumerable.Range(0, Math.Max(1, request.Count)).Select(worker.WithSlot).ToArray();
        var wait = TimeSpan.FromSeconds(Math.Min(request.WaitSeconds, MaxWait.TotalSeconds));
        var answer = await new SuggestCall(host, slots).RunAsync(wait, context.CancellationToken).ConfigureAwait(false);
        answer.HeartbeatSeconds = host.Hub.HeartbeatInterval?.TotalSeconds ?? 0;
        return answer;
    }

    public override async Task<ObserveResponse> Observe(ObserveRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var values = ResultValues.Read(host.Tuner.Definition, request.TrialId, request.HasValue ? request.Value : null, request.Values);
        var result = ObjectiveResult.Success(values, ProtoConvert.ReadMetadata(request.Metadata));
        return await RecordAsync(host, request.TrialId, names.ForTrial(request.Worker, TrialOf(host, request.TrialId), context), result).ConfigureAwait(false);
    }

    public override async Task<ObserveResponse> Fail(FailRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "failed (no reason given)" : request.Reason;
        var result = ObjectiveResult.Failure(reason, ProtoConvert.ReadMetadata(request.Metadata));
        return await RecordAsync(host, request.TrialId, names.ForTrial(request.Worker, TrialOf(host, request.TrialId), context), result).ConfigureAwait(false);
    }

    public override async Task<TrialResponse> Release(ReleaseRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var trial = TrialOf(host, request.TrialId);
        if (trial.State != TrialState.Open)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"trial {trial.Id} is {ProtoConvert.StateName(trial.State)}, not open: there is nothing to release"));
        }

        if (!string.IsNullOrEmpty(request.Worker) && names.ForTrial(request.Worker, trial, context).ToString() != trial.Worker)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"trial {trial.Id} is held by {trial.Worker}, not {request.Worker}"));
        }

        var released = host.Tuner.Release(trial.Id, string.IsNullOrWhiteSpace(request.Reason) ? $"released by {trial.Worker}" : request.Reason);
        await host.DurableAsync().ConfigureAwait(false);
        return new TrialResponse { Trial = ProtoConvert.ToProto(released) };
    }

    public override async Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var trial = TrialOf(host, request.TrialId);
        var worker = names.ForTrial(request.Worker, trial, context);
        if (trial.State == TrialState.Interrupted && host.Tuner.Reclaim(trial.Id, worker.ToString()) is not null)
        {
            // The worker outlived the last master and still evaluates the trial: it keeps it.
            host.Hub.Join(worker.Endpoint);
            await host.DurableAsync().ConfigureAwait(false);
            return new HeartbeatResponse();
        }

        var abandon = host.Hub.Heartbeat(worker, trial.Id);
        return abandon is { } order ? new HeartbeatResponse { Abandon = true, Reason = order.Reason } : new HeartbeatResponse();
    }

    public override async Task<ReportResponse> Report(ReportRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var trial = TrialOf(host, request.TrialId);
        if (request.Step < 0)
        {
            throw new ArgumentException($"step: a step counts from 0, got {request.Step}");
        }

        var worker = names.ForTrial(request.Worker, trial, context);
        var values = ResultValues.ReadReport(host.Tuner.Definition, trial.Id, request.Values);
        if (trial.State == TrialState.Interrupted && host.Tuner.Reclaim(trial.Id, worker.ToString()) is not null)
        {
            // The worker outlived the last master and still trains the trial: it keeps it, as with a heartbeat.
            host.Hub.Join(worker.Endpoint);
        }

        var answer = host.Hub.Report(worker, trial.Id, request.Step, values);
        await host.DurableAsync().ConfigureAwait(false); // acknowledged reports (and a stop) survive a kill of the server, like results

        return new ReportResponse { Stop = answer.Stop, Reason = answer.Reason ?? "", Recorded = answer.Recorded };
    }

    public override async Task<TrialResponse> Insert(InsertRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var assignment = ProtoConvert.ReadAssignment(request.Assignments);
        var trial = host.Tuner.Insert(assignment, request.Values.Count > 0 ? ResultValues.Read(host.Tuner.Definition, 0, null, request.Values) : null);
        await host.DurableAsync().ConfigureAwait(false);
        return new TrialResponse { Trial = ProtoConvert.ToProto(trial) };
    }

    public override Task<ListTrialsResponse> ListTrials(ListTrialsRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var state = ProtoConvert.ParseState(request.State);
        var response = new ListTrialsResponse();
        response.Trials.AddRange(host.Tuner.Trials.Where(t => state is null || t.State == state).Select(ProtoConvert.ToProto));
        return Task.FromResult(response);
    }

    public override Task<TrialResponse> GetTrial(GetTrialRequest request, ServerCallContext context)
    {
        var host = catalog.Find(request.Study);
        var trial = TrialOf(host, request.TrialId);
        return Task.FromResult(new TrialResponse { Trial = ProtoConvert.ToProto(trial, host.Hub.CheckpointPathsOf(trial)) });
    }

    /// <summary>
    /// Records a worker's result once: the same result sent again (its answer was lost, or the server restarted after
    /// syncing it) is acknowledged as a duplicate; another result for a finished trial is a conflict.
    /// </summary>
    private static async Task<ObserveResponse> RecordAsync(StudyHost host, long trialId, WorkerId worker, ObjectiveResult result)
    {
        var before = TrialOf(host, trialId);
        if (before.State == TrialState.Pruned)
        {
            return PrunedAnswer(before);
        }

        if (TrialTransitions.IsFinal(before.State))
        {
            return await DuplicateOrConflictAsync(host, before, result, "").ConfigureAwait(false);
        }

        var answer = host.Hub.Result(worker, trialId, result);
        await host.DurableAsync().ConfigureAwait(false);
        var after = TrialOf(host, trialId);
        if (answer.Pruned)
        {
            return PrunedAnswer(after);
        }

        if (!answer.Recorded)
        {
            return await DuplicateOrConflictAsync(host, after, result, answer.Problem ?? "").ConfigureAwait(false);
        }

        return new ObserveResponse { Recorded = true, Trial = ProtoConvert.ToProto(after) };
    }

    /// <summary>A result for a trial early stopping ended: the worker only learnt of the stop late, so no error.</summary>
    private static ObserveResponse PrunedAnswer(Trial trial) =>
        new() { Recorded = false, Pruned = true, Problem = $"trial {trial.Id} was stopped early ({trial.Reason}): its result is not recorded", Trial = ProtoConvert.ToProto(trial) };

    private static async Task<ObserveResponse> DuplicateOrConflictAsync(StudyHost host, Trial trial, ObjectiveResult result, string problem)
    {
        var same = result.IsFailure
            ? trial.State == TrialState.Failed && trial.Reason == result.FailureReason
            : trial.State == TrialState.Completed && trial.Values is { } recorded && recorded.Count == result.Values!.Count && recorded.All(p => result.Values.TryGetValue(p.Key, out var v) && v.Equals(p.Value));
        if (same)
        {
            await host.DurableAsync().ConfigureAwait(false); // recorded by another call that may not have synced yet
            return new ObserveResponse { Recorded = true, Duplicate = true, Trial = ProtoConvert.ToProto(trial) };
        }

        if (problem.Length > 0 && trial.State is TrialState.Open or TrialState.Interrupted)
        {
            return new ObserveResponse { Recorded = false, Problem = problem, Trial = ProtoConvert.ToProto(trial) };
        }

        throw new RpcException(new Status(StatusCode.Aborted, $"trial {trial.Id} is already {ProtoConvert.StateName(trial.State)}{(trial.Values is { } v ? $" with {string.Join(", ", v.Select(p => $"{p.Key}={p.Value}"))}" : trial.Reason is { } r ? $" ({r})" : "")}: this result does not count"));
    }

    private static Trial TrialOf(StudyHost host, long trialId)
    {
        try
        {
            return host.Tuner.GetTrial(trialId);
        }
        catch (TrialStateException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message));
        }
    }
}
