using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Transport;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Service.Studies;

/// <summary>
/// One study this server is the master of: its checkpoint (held exclusively), the tuner, the worker hub every
/// transport shares, group-committed acknowledgements, and the loop that takes trials back from silent workers.
/// </summary>
internal sealed class StudyHost : IAsyncDisposable
{
    private readonly GroupCommit _commit;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _leases;
    private readonly ILogger _logger;
    private Task? _threads;

    private StudyHost(string id, Checkpoint checkpoint, Tuner tuner, ILogger logger)
    {
        Id = id;
        Checkpoint = checkpoint;
        Tuner = tuner;
        Hub = new WorkerHub(tuner, logger);
        _logger = logger;
        _commit = new GroupCommit(checkpoint.Writer);
        _leases = Task.Run(ExpireLeasesAsync);
    }

    /// <summary>The name calls use for this study (its folder under --root).</summary>
    public string Id { get; }

    public Checkpoint Checkpoint { get; }

    public Tuner Tuner { get; }

    public WorkerHub Hub { get; }

    /// <summary>When this server started serving the study.</summary>
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// Serves the study in <paramref name="checkpoint"/> (taking it over: trials still open from the last master are
    /// interrupted and go out first, unless their workers come back for them).
    /// </summary>
    public static StudyHost Start(string id, Checkpoint checkpoint, StudyHostOptions options, ILogger logger, int? raiseBudgetTo = null)
    {
        var tuner = checkpoint.Resume(
            new TunerOptions { Logger = logger, LeasePeriod = options.Lease, SuggestAhead = options.SuggestAhead, TrialTimeout = options.TrialTimeout },
            raiseBudgetTo,
            new RunInfo(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessId, options.Describe, options.Command, options.TrialTimeout?.TotalSeconds));
        return new StudyHost(id, checkpoint, tuner, logger);
    }

    /// <summary>Completes once everything recorded so far is on stable storage: await it before acknowledging.</summary>
    public Task DurableAsync() => _commit.WhenDurableAsync();

    /// <summary>Evaluates trials with <paramref name="workers"/> threads of this process beside the network workers.</summary>
    public void StartThreads(IObjective objective, int workers)
    {
        _threads = Task.Run(() => new ThreadTransport(objective, workers, _logger).ServeAsync(Hub, _closing.Token));
    }

    /// <summary>The local threads' run: completes when they stopped (the study finished, or the server closed).</summary>
    public Task Threads => _threads ?? Task.CompletedTask;

    private async Task ExpireLeasesAsync()
    {
        if (Hub.HeartbeatInterval is not { } every)
        {
            return;
        }

        using var timer = new PeriodicTimer(every, Tuner.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                try
                {
                    if (Hub.ExpireLeases() > 0)
                    {
                        await DurableAsync().ConfigureAwait(false);
                    }
                }
                catch (JournalWriteException)
                {
                    return; // every call answers UNAVAILABLE from now on
                }
            }
        }
        catch (OperationCanceledException)
        {
            // closing
        }
    }

    /// <summary>
    /// Closes the study: local threads are stopped (their trials interrupted), open network trials stay open in the
    /// journal so that their workers can take them back from the next server, and the checkpoint is released.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        try
        {
            await Threads.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        await _leases.ConfigureAwait(false);
        try
        {
            await DurableAsync().ConfigureAwait(false);
        }
        catch (JournalWriteException)
        {
            // nothing more can be saved
        }

        _commit.Dispose();
        Checkpoint.Dispose();
        _closing.Dispose();
    }
}

/// <summary>How a <see cref="StudyHost"/> runs its study.</summary>
/// <param name="Lease">How long a worker may go unheard before its trial goes to another.</param>
/// <param name="SuggestAhead">Suggestions computed ahead of requests (TunerOptions.SuggestAhead).</param>
/// <param name="TrialTimeout">Seconds a trial may run, for the local threads' objective.</param>
/// <param name="Describe">The run record's objective, in words.</param>
/// <param name="Command">The local threads' command objective, if any.</param>
internal sealed record StudyHostOptions(TimeSpan Lease, int SuggestAhead, TimeSpan? TrialTimeout, string Describe, IReadOnlyList<string>? Command);
