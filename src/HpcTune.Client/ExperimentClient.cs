using Grpc.Core;
using Grpc.Net.Client;
using HpcTune.Client.Wire;
using HpcTune.Service.Protocol;
using HpcTune.Study;
using HpcTune.Values;

namespace HpcTune.Client;

/// <summary>
/// A client of one study served by <c>HpcTune serve</c>, shaped like Orion's ExperimentClient: suggest, observe, fail,
/// release, insert, fetch trials, stats, and <see cref="WorkOnAsync(Func{RemoteTrial, CancellationToken, Task{double}}, int?, CancellationToken)"/>
/// to run an objective until the study is done. Every call carries the bearer token and is retried with exponential
/// backoff while the server is unreachable (<see cref="ExperimentClientOptions.RetryTimeout"/>), so a worker outlives a
/// restart of the server; a result whose answer was lost is sent again and counted once. Safe to share between threads.
/// </summary>
public sealed partial class ExperimentClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Studies.StudiesClient _stub;
    private readonly CallRetry _retry;
    private readonly Metadata _headers;
    private readonly ExperimentClientOptions _options;
    private readonly Dictionary<string, Scalar> _labels;

    private ExperimentClient(ExperimentClientOptions options, string study)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RetryTimeout < TimeSpan.Zero || options.CallTimeout <= TimeSpan.Zero || options.SuggestWait < TimeSpan.Zero || options.SuggestWait > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentException("RetryTimeout must be at least 0, CallTimeout more than 0, SuggestWait from 0 to 60 s");
        }

        _options = options;
        StudyId = string.IsNullOrEmpty(study) ? throw new ArgumentException("no study named: give its id, or \"-\" for the only study of serve --checkpoint") : study;
        Worker = options.Worker is { } worker ? WorkerNames.Validate(worker) : WorkerNames.Default();
        _headers = [new Metadata.Entry("authorization", "Bearer " + TokenReader.Read(options))];
        _labels = new Dictionary<string, Scalar>(options.Labels ?? new Dictionary<string, Scalar>(), StringComparer.Ordinal)
        {
            ["hostname"] = Environment.MachineName,
            ["pid"] = Environment.ProcessId,
        };
        _channel = ChannelFactory.Create(options);
        _stub = new Studies.StudiesClient(_channel);
        _retry = new CallRetry(options);
    }

    /// <summary>The server's URL.</summary>
    public Uri Url => _options.Url;

    /// <summary>The study's id on the server.</summary>
    public string StudyId { get; private set; }

    /// <summary>This worker's name, sent with every suggest and result.</summary>
    public string Worker { get; }

    /// <summary>The study as the server last described it (read on connect, refreshed by <see cref="GetStudyAsync"/>).</summary>
    public StudyDescription Study { get; private set; } = new();

    /// <summary>The study's recorded definition (space, metrics, budget); null when this client cannot read it.</summary>
    public StudyDefinition? Definition => Study.Definition;

    /// <summary>
    /// Connects to the study <see cref="ExperimentClientOptions.Study"/> and reads its definition. Throws
    /// <see cref="ServiceCallException"/> when the server refuses (a wrong token: Unauthenticated; no such study:
    /// NotFound) and <see cref="ServiceUnreachableException"/> when it cannot be reached within the retry time.
    /// </summary>
    public static async Task<ExperimentClient> ConnectAsync(ExperimentClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ExperimentClient(options, options.Study);
        try
        {
            await client.GetStudyAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a study on a server started with <c>serve --root</c> from its JSON (CONTRACTS.md §1) and connects to it.
    /// With <paramref name="id"/> given and taken, it succeeds only if the definition is the same (a retried create).
    /// </summary>
    public static async Task<ExperimentClient> CreateStudyAsync(ExperimentClientOptions options, string definitionJson, string? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(definitionJson);
        var definition = StudyDefinitionJson.Parse(definitionJson); // a bad definition is named here, before any call
        var client = new ExperimentClient(options, id ?? definition.Name);
        try
        {
            var request = new CreateStudyRequest { Id = id ?? "", Definition = WireValues.ToStruct(definitionJson) };
            var info = await client.CallAsync("create study", (stub, call) => stub.CreateStudyAsync(request, call), cancellationToken).ConfigureAwait(false);
            client.StudyId = info.Id;
            client.Study = WireConversion.ToDescription(info);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Creates a study from <paramref name="definition"/> and connects to it (see <see cref="CreateStudyAsync(ExperimentClientOptions, string, string?, CancellationToken)"/>).</summary>
    public static Task<ExperimentClient> CreateStudyAsync(ExperimentClientOptions options, StudyDefinition definition, string? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return CreateStudyAsync(options, StudyDefinitionJson.Write(definition), id, cancellationToken);
    }

    /// <summary>Reads the study's status, counts and definition again.</summary>
    public async Task<StudyDescription> GetStudyAsync(CancellationToken cancellationToken = default)
    {
        var request = new GetStudyRequest { Study = StudyId };
        var info = await CallAsync("get study", (stub, call) => stub.GetStudyAsync(request, call), cancellationToken).ConfigureAwait(false);
        Study = WireConversion.ToDescription(info);
        return Study;
    }

    /// <summary>Every study the server holds.</summary>
    public async Task<IReadOnlyList<StudyDescription>> ListStudiesAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("list studies", (stub, call) => stub.ListStudiesAsync(new ListStudiesRequest(), call), cancellationToken).ConfigureAwait(false);
        return [.. response.Studies.Select(WireConversion.ToDescription)];
    }

    /// <summary>Counts, best trial or Pareto front, start, finish and duration.</summary>
    public async Task<StudyStatistics> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var request = new StatsRequest { Study = StudyId };
        var stats = await CallAsync("stats", (stub, call) => stub.StatsAsync(request, call), cancellationToken).ConfigureAwait(false);
        return WireConversion.ToStatistics(stats, Definition?.Space);
    }

    /// <summary>True once the study hands out no more trials: its budget is met, or it is broken or stopped.</summary>
    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken = default) =>
        (await GetStudyAsync(cancellationToken).ConfigureAwait(false)).Status != RemoteStudyStatus.Running;

    /// <summary>True when failures reached the study's <c>max_failures</c>.</summary>
    public async Task<bool> IsBrokenAsync(CancellationToken cancellationToken = default) =>
        (await GetStudyAsync(cancellationToken).ConfigureAwait(false)).Status == RemoteStudyStatus.Broken;

    /// <summary>No new trials from now on; results of open trials still count.</summary>
    public async Task<StudyDescription> StopAsync(string? reason = null, CancellationToken cancellationToken = default)
    {
        var request = new StopRequest { Study = StudyId, Reason = reason ?? "" };
        var info = await CallAsync("stop", (stub, call) => stub.StopAsync(request, call), cancellationToken).ConfigureAwait(false);
        Study = WireConversion.ToDescription(info);
        return Study;
    }

    /// <summary>Deletes every open trial without stopping the study; returns how many.</summary>
    public async Task<int> DeleteOpenAsync(CancellationToken cancellationToken = default)
    {
        var request = new DeleteOpenRequest { Study = StudyId };
        return (await CallAsync("delete open trials", (stub, call) => stub.DeleteOpenAsync(request, call), cancellationToken).ConfigureAwait(false)).Deleted;
    }

    /// <summary>This worker is leaving: its open trials are released (they go out again first); returns how many.</summary>
    public async Task<int> LeaveAsync(CancellationToken cancellationToken = default)
    {
        var request = new LeaveRequest { Study = StudyId, Worker = Worker };
        return (await CallAsync("leave", (stub, call) => stub.LeaveAsync(request, call), cancellationToken).ConfigureAwait(false)).Released;
    }

    /// <inheritdoc/>
    public void Dispose() => _channel.Dispose();

    /// <summary>One call, with the token, a deadline (<paramref name="longer"/> beyond the call timeout) and retries.</summary>
    private Task<T> CallAsync<T>(string what, Func<Studies.StudiesClient, CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan longer = default) =>
        _retry.RunAsync(what, async token =>
        {
            using var pending = call(_stub, new CallOptions(_headers, DateTime.UtcNow + _options.CallTimeout + longer, token));
            return await pending.ResponseAsync.ConfigureAwait(false);
        }, cancellationToken);
}
