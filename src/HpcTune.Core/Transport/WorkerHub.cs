using HpcTune.Objectives;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcTune.Transport;

/// <summary>
/// The master's side of every transport: workers join and leave, ask for work, send results and heartbeats, and the
/// rules that decide what counts live here once — the in-process threads, the MPI master and a network service
/// apply the same ones. Thread-safe; suggestions are computed by <see cref="Tuning.Tuner.Suggest(string)"/> without
/// this hub's lock, so workers of one hub are never held up by another's model.
/// </summary>
public sealed class WorkerHub : IWorkerHub
{
    private static readonly IReadOnlyDictionary<string, Scalar> NoLabels = new Dictionary<string, Scalar>(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, WorkerId> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<WorkerId, IReadOnlyDictionary<string, Scalar>> _labels = [];
    private readonly HashSet<WorkerId> _joined = [];
    private readonly ILogger _logger;

    /// <summary>A hub for the study <paramref name="tuner"/> holds.</summary>
    public WorkerHub(Tuner tuner, ILogger? logger = null)
    {
        Tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The study this hub serves.</summary>
    public Tuner Tuner { get; }

    /// <inheritdoc/>
    public TimeSpan? HeartbeatInterval => Tuner.HeartbeatInterval;

    /// <inheritdoc/>
    public TimeProvider Time => Tuner.Time;

    /// <summary>Workers joined and not left, by endpoint.</summary>
    public IReadOnlyList<WorkerId> Joined
    {
        get
        {
            lock (_lock)
            {
                return [.. _joined];
            }
        }
    }

    /// <inheritdoc/>
    public void Join(WorkerId worker, IReadOnlyDictionary<string, Scalar>? labels = null)
    {
        var endpoint = worker.Endpoint;
        lock (_lock)
        {
            Register(endpoint);
            _labels[endpoint] = labels is null ? NoLabels : new Dictionary<string, Scalar>(labels, StringComparer.Ordinal);
            _joined.Add(endpoint);
        }
    }

    /// <inheritdoc/>
    public int Leave(WorkerId worker, string reason)
    {
        var endpoint = worker.Endpoint;
        lock (_lock)
        {
            _joined.Remove(endpoint);
        }

        var released = 0;
        foreach (var trial in Tuner.OpenSuggestions().Where(t => t.State == TrialState.Open && HolderOf(t) is { } holder && holder.Endpoint == endpoint))
        {
            try
            {
                Tuner.Release(trial.Id, $"{trial.Worker} left: {reason}");
                released++;
            }
            catch (TrialStateException)
            {
                // Its result arrived in the meantime.
            }
        }

        if (released > 0)
        {
            _logger.WorkerLeft(endpoint.ToString(), reason, released); // a worker that leaves empty-handed (the study is done) is no news
        }

        return released;
    }

    /// <inheritdoc/>
    public SuggestOutcome Request(WorkerId worker) => Request([worker])[0];

    /// <inheritdoc/>
    public IReadOnlyList<SuggestOutcome> Request(IReadOnlyList<WorkerId> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        lock (_lock)
        {
            foreach (var worker in workers)
            {
                if (!_joined.Contains(worker.Endpoint))
                {
                    throw new InvalidOperationException($"worker {worker} asked for work without joining (or after leaving)");
                }

                Register(worker);
            }
        }

        return Tuner.Suggest([.. workers.Select(w => w.ToString())]);
    }

    /// <inheritdoc/>
    public ResultAnswer Result(WorkerId worker, long trialId, ObjectiveResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var answer = Decide(worker, trialId, result);
        if (!answer.Recorded && !answer.Pruned)
        {
            _logger.ResultDropped(trialId, worker.ToString(), answer.Problem!);
        }

        return answer;
    }

    private ResultAnswer Decide(WorkerId worker, long trialId, ObjectiveResult result)
    {
        // One result at a time: two results for one trial never both pass the check below.
        lock (_lock)
        {
            var metadata = new Dictionary<string, Scalar>(result.Metadata, StringComparer.Ordinal);
            var endpoint = worker.Endpoint;
            foreach (var (name, value) in _labels.GetValueOrDefault(endpoint, NoLabels))
            {
                metadata[name] = value;
            }

            try
            {
                // A late result (its lease ran out and the trial went to another worker) counts if it is the first.
                var trial = Tuner.GetTrial(trialId);
                if (trial.State == TrialState.Pruned)
                {
                    return ResultAnswer.Dropped($"trial {trialId} was stopped early ({trial.Reason})") with { Pruned = true };
                }

                var other = trial.State == TrialState.Open && trial.Worker != worker.ToString() && HolderOf(trial) is { } holder && holder.Endpoint != endpoint ? holder : (WorkerId?)null;
                if (result.IsFailure)
                {
                    if (other is { } retrying)
                    {
                        // The late worker failed, but the trial is running again elsewhere: that attempt decides.
                        return ResultAnswer.Dropped($"a late failure ({result.FailureReason}) while {retrying} evaluates the trial again");
                    }

                    Tuner.Fail(trialId, result.FailureReason!, metadata);
                }
                else
                {
                    Tuner.Report(trialId, ObjectiveResult.Success(result.Values!, metadata));
                }

                return new ResultAnswer(true, null, other is { } abandoning ? new AbandonOrder(abandoning, trialId, $"{endpoint} reported trial {trialId} first") : null);
            }
            catch (TrialStateException e)
            {
                return ResultAnswer.Dropped(e.Message);
            }
        }
    }

    /// <inheritdoc/>
    public ReportAnswer Report(WorkerId worker, long trialId, long atStep, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var trial = Tuner.GetTrial(trialId);
        if (trial.State != TrialState.Open)
        {
            return new ReportAnswer(true, StoppedReason(trial), false);
        }

        if (trial.Worker != worker.ToString())
        {
            return new ReportAnswer(true, $"trial {trialId} is now evaluated by {trial.Worker}", false);
        }

        if (trial.Reports is [.., var last] && last.Step >= atStep)
        {
            return new ReportAnswer(false, $"trial {trialId} already has a report at step {last.Step}; step {atStep} is not recorded", false);
        }

        try
        {
            var reported = Tuner.ReportProgress(trialId, atStep, values);
            if (reported.State != TrialState.Open)
            {
                return new ReportAnswer(true, reported.Reason, true);
            }

            _ = Tuner.Heartbeat(trialId, worker.ToString());
            return ReportAnswer.Continue;
        }
        catch (TrialStateException e)
        {
            // The trial finished meanwhile, or the report itself is wrong (an unknown metric, a value that is not finite).
            var now = Tuner.GetTrial(trialId);
            return now.State != TrialState.Open ? new ReportAnswer(true, StoppedReason(now), false) : new ReportAnswer(false, e.Message, false);
        }
    }

    /// <inheritdoc/>
    public TrialCheckpointPaths? CheckpointPathsOf(Trial trial) => Tuner.CheckpointPathsOf(trial);

    private static string StoppedReason(Trial trial) =>
        $"trial {trial.Id} is already {trial.State.ToString().ToLowerInvariant()}{(trial.Reason is { Length: > 0 } why ? $" ({why})" : "")}";

    /// <inheritdoc/>
    public AbandonOrder? Heartbeat(WorkerId worker, long trialId) =>
        Tuner.Heartbeat(trialId, worker.ToString()) == HeartbeatAnswer.Finished
            ? new AbandonOrder(worker, trialId, $"trial {trialId} is already {Tuner.GetTrial(trialId).State.ToString().ToLowerInvariant()}")
            : null;

    /// <inheritdoc/>
    public Task WaitForChangeAsync() => Tuner.WaitForChangeAsync();

    /// <summary>Interrupts the open trials whose lease ran out, so they go out again first; returns how many.</summary>
    public int ExpireLeases() => Tuner.ExpireLeases().Count;

    /// <summary>Drain: from now on every request is answered Finished with <paramref name="reason"/>; results still count.</summary>
    public void StopHandingOut(string reason) => Tuner.StopHandingOut(reason);

    /// <summary>Stop now: every open trial becomes Interrupted (its worker is being stopped) for the next run; returns how many.</summary>
    public int InterruptOpen(string reason) => Tuner.InterruptOpen(reason);

    /// <summary>The worker holding open <paramref name="trial"/>, if it came through this hub.</summary>
    private WorkerId? HolderOf(Trial trial)
    {
        lock (_lock)
        {
            return trial.Worker is { } name && _byName.TryGetValue(name, out var id) ? id : null;
        }
    }

    /// <summary>Remembers <paramref name="worker"/> by its journal name; a second worker with that name is refused.</summary>
    private void Register(WorkerId worker)
    {
        var name = worker.ToString();
        if (_byName.TryGetValue(name, out var known))
        {
            if (known != worker)
            {
                throw new ArgumentException($"worker name '{name}' is taken by another worker", nameof(worker));
            }

            return;
        }

        _byName[name] = worker;
    }
}
