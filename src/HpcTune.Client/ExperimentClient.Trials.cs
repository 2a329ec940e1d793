using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using HpcTune.Client.Wire;
using HpcTune.Service.Protocol;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Client;

/// <summary>Suggestions, results and trials.</summary>
public sealed partial class ExperimentClient
{
    private double _heartbeatSeconds;

    /// <summary>How often to heartbeat an open trial, as the server last said; null when it keeps no leases.</summary>
    public TimeSpan? HeartbeatInterval => _heartbeatSeconds > 0 ? TimeSpan.FromSeconds(_heartbeatSeconds) : null;

    /// <summary>Why the study hands out no more trials, once a suggest found it finished; null before.</summary>
    public string? FinishedReason { get; private set; }

    /// <summary>One trial to evaluate, or null when the study is finished (see <see cref="SuggestAsync(int, CancellationToken)"/>).</summary>
    public async Task<RemoteTrial?> SuggestAsync(CancellationToken cancellationToken = default) =>
        (await SuggestAsync(1, cancellationToken).ConfigureAwait(false)) is [var first, ..] ? first : null;

    /// <summary>
    /// Up to <paramref name="count"/> trials for this worker: its own open ones first (asked again, it gets them back),
    /// then interrupted ones, then new ones. Waits (long-polling the server) while none can be handed out; empty once
    /// the study is finished (done, broken or stopped: <see cref="FinishedReason"/> says which).
    /// </summary>
    public async Task<IReadOnlyList<RemoteTrial>> SuggestAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var request = new SuggestRequest { Study = StudyId, Worker = Worker, Count = count, WaitSeconds = _options.SuggestWait.TotalSeconds };
        WireValues.Fill(request.Labels, _labels);
        while (true)
        {
            var response = await CallAsync("suggest", (stub, call) => stub.SuggestAsync(request, call), cancellationToken, _options.SuggestWait).ConfigureAwait(false);
            _heartbeatSeconds = double.IsFinite(response.HeartbeatSeconds) ? response.HeartbeatSeconds : 0;
            switch (response.Status)
            {
                case "ok":
                    return [.. response.Trials.Select(t => WireConversion.ToTrial(t, Definition?.Space))];
                case "finished":
                    FinishedReason = response.Reason.Length > 0 ? response.Reason : "the study is finished";
                    return [];
                case "wait":
                    continue; // the server waited already; ask again
                default:
                    throw new FormatException($"suggest: the server answered an unknown status '{response.Status}'");
            }
        }
    }

    /// <summary>The objective's value for trial <paramref name="trialId"/>, for a study with one metric.</summary>
    public Task<ObserveOutcome> ObserveAsync(long trialId, double value, IReadOnlyDictionary<string, Scalar>? metadata = null, CancellationToken cancellationToken = default)
    {
        var request = new ObserveRequest { Study = StudyId, TrialId = trialId, Worker = Worker, Value = value };
        WireValues.Fill(request.Metadata, metadata);
        return ObserveAsync(request, cancellationToken);
    }

    /// <summary>Every metric's value for trial <paramref name="trialId"/>.</summary>
    public Task<ObserveOutcome> ObserveAsync(long trialId, IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, Scalar>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var request = new ObserveRequest { Study = StudyId, TrialId = trialId, Worker = Worker };
        WireValues.FillNumbers(request.Values, values);
        WireValues.Fill(request.Metadata, metadata);
        return ObserveAsync(request, cancellationToken);
    }

    private async Task<ObserveOutcome> ObserveAsync(ObserveRequest request, CancellationToken cancellationToken)
    {
        // Retried like every call: when an answer is lost the same result goes again, and the server counts it once.
        var response = await CallAsync($"observe trial {request.TrialId}", (stub, call) => stub.ObserveAsync(request, call), cancellationToken).ConfigureAwait(false);
        return WireConversion.ToOutcome(response, Definition?.Space);
    }

    /// <summary>Trial <paramref name="trialId"/> failed for <paramref name="reason"/>.</summary>
    public async Task<ObserveOutcome> FailAsync(long trialId, string reason, IReadOnlyDictionary<string, Scalar>? metadata = null, CancellationToken cancellationToken = default)
    {
        var request = new FailRequest { Study = StudyId, TrialId = trialId, Worker = Worker, Reason = string.IsNullOrWhiteSpace(reason) ? "failed (no reason given)" : reason };
        WireValues.Fill(request.Metadata, metadata);
        var response = await CallAsync($"fail trial {trialId}", (stub, call) => stub.FailAsync(request, call), cancellationToken).ConfigureAwait(false);
        return WireConversion.ToOutcome(response, Definition?.Space);
    }

    /// <summary>Gives open trial <paramref name="trialId"/> back: it becomes interrupted and goes out again first.</summary>
    public async Task<RemoteTrial> ReleaseAsync(long trialId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var request = new ReleaseRequest { Study = StudyId, TrialId = trialId, Worker = Worker, Reason = reason ?? "released by its worker" };
        var response = await CallAsync($"release trial {trialId}", (stub, call) => stub.ReleaseAsync(request, call), cancellationToken).ConfigureAwait(false);
        return WireConversion.ToTrial(response.Trial, Definition?.Space);
    }

    /// <summary>This worker still evaluates trial <paramref name="trialId"/>: renews its lease.</summary>
    public async Task<HeartbeatOutcome> HeartbeatAsync(long trialId, CancellationToken cancellationToken = default)
    {
        var request = new HeartbeatRequest { Study = StudyId, TrialId = trialId, Worker = Worker };
        var response = await CallAsync($"heartbeat trial {trialId}", (stub, call) => stub.HeartbeatAsync(request, call), cancellationToken).ConfigureAwait(false);
        return new HeartbeatOutcome(response.Abandon, response.Reason);
    }

    /// <summary>
    /// An intermediate result of trial <paramref name="trialId"/> at <paramref name="step"/> (CONTRACTS.md §6; steps
    /// increase), which the study's early stopping rule decides on: when <see cref="ReportOutcome.Stop"/> is true end
    /// the evaluation. It also renews the trial's lease. Retried like every call: a report sent twice is recorded once.
    /// </summary>
    public async Task<ReportOutcome> ReportAsync(long trialId, long step, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var request = new ReportRequest { Study = StudyId, TrialId = trialId, Worker = Worker, Step = step };
        WireValues.FillNumbers(request.Values, values);
        var response = await CallAsync($"report trial {trialId}", (stub, call) => stub.ReportAsync(request, call), cancellationToken).ConfigureAwait(false);
        return new ReportOutcome(response.Stop, response.Reason, response.Recorded);
    }

    /// <summary>
    /// A trial of the caller's: <paramref name="parameters"/> (every active parameter, validated against the space)
    /// to evaluate, or with <paramref name="values"/> an observation made elsewhere. Throws
    /// <see cref="DuplicateTrialException"/> when a trial has the same assignment, <see cref="ServiceCallException"/>
    /// (InvalidArgument) when the assignment or values are not valid.
    /// </summary>
    public async Task<RemoteTrial> InsertAsync(IReadOnlyDictionary<string, Scalar> parameters, IReadOnlyDictionary<string, double>? values = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = new InsertRequest { Study = StudyId };
        WireValues.Fill(request.Assignments, parameters);
        if (values is not null)
        {
            WireValues.FillNumbers(request.Values, values);
        }

        try
        {
            var response = await CallAsync("insert", (stub, call) => stub.InsertAsync(request, call), cancellationToken).ConfigureAwait(false);
            return WireConversion.ToTrial(response.Trial, Definition?.Space);
        }
        catch (ServiceCallException e) when (e.Status == StatusCode.AlreadyExists)
        {
            var detail = (e.InnerException as RpcException)?.Status.Detail ?? e.Message;
            throw new DuplicateTrialException(ExistingTrialId(detail), detail);
        }
    }

    /// <summary>The study's trials, all or those in <paramref name="state"/>, by id.</summary>
    public async Task<IReadOnlyList<RemoteTrial>> FetchTrialsAsync(TrialState? state = null, CancellationToken cancellationToken = default)
    {
        var request = new ListTrialsRequest { Study = StudyId, State = state is { } s ? WireConversion.ToWire(s) : "" };
        var response = await CallAsync("list trials", (stub, call) => stub.ListTrialsAsync(request, call), cancellationToken).ConfigureAwait(false);
        return [.. response.Trials.Select(t => WireConversion.ToTrial(t, Definition?.Space))];
    }

    /// <summary>Trial <paramref name="trialId"/> as it is now.</summary>
    public async Task<RemoteTrial> GetTrialAsync(long trialId, CancellationToken cancellationToken = default)
    {
        var request = new GetTrialRequest { Study = StudyId, TrialId = trialId };
        var response = await CallAsync($"get trial {trialId}", (stub, call) => stub.GetTrialAsync(request, call), cancellationToken).ConfigureAwait(false);
        return WireConversion.ToTrial(response.Trial, Definition?.Space);
    }

    /// <summary>The trial a duplicate refusal names ("... trial 12 ..."), or −1 when it names none.</summary>
    private static long ExistingTrialId(string detail) =>
        TrialNumber().Match(detail) is { Success: true } match && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;

    [GeneratedRegex(@"trial (\d+)")]
    private static partial Regex TrialNumber();
}
