using HpcTune.Objectives;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Transport;

/// <summary>
/// The calls every worker makes, whatever carries them: an in-process thread calls them directly, the MPI master
/// makes them for its ranks' messages, and a network service for its clients. <see cref="WorkerHub"/> answers them
/// for a study held in this process; see docs/transport.md for the rules.
/// </summary>
public interface IWorkerHub
{
    /// <summary>How often a worker should call <see cref="Heartbeat"/> while it holds a trial; null: never.</summary>
    TimeSpan? HeartbeatInterval { get; }

    /// <summary>The clock heartbeats are timed by.</summary>
    TimeProvider Time { get; }

    /// <summary>
    /// <paramref name="worker"/> (an endpoint: a rank, a thread, a connection) is here. <paramref name="labels"/> are
    /// added to the metadata of every result it sends (<c>hostname</c>, <c>rank</c>, <c>pid</c>). Joining again
    /// replaces the labels.
    /// </summary>
    /// <exception cref="ArgumentException">Another worker already has the same name.</exception>
    void Join(WorkerId worker, IReadOnlyDictionary<string, Scalar>? labels = null);

    /// <summary>
    /// <paramref name="worker"/>'s endpoint is gone: the trials any of its slots hold become Interrupted and go out again
    /// before any new trial. Returns how many. A result it sent before leaving still counts if it is the first.
    /// </summary>
    int Leave(WorkerId worker, string reason);

    /// <summary>
    /// Work for <paramref name="worker"/> (a slot): the trial it already holds if it asks again, else an interrupted
    /// trial, else a new one; Wait while the bandwidth or the budget allow none; Finished when the study ended or
    /// stops. The worker's endpoint must have joined.
    /// </summary>
    /// <exception cref="InvalidOperationException">The worker has not joined, or has left.</exception>
    SuggestOutcome Request(WorkerId worker);

    /// <summary>
    /// <see cref="Request(WorkerId)"/> for several slots at once, in order: their new trials come from one batch of
    /// the sampler (docs/sampling.md), which is what a burst of idle workers wants.
    /// </summary>
    /// <exception cref="InvalidOperationException">A worker has not joined, or has left.</exception>
    IReadOnlyList<SuggestOutcome> Request(IReadOnlyList<WorkerId> workers);

    /// <summary>
    /// The outcome of trial <paramref name="trialId"/> as <paramref name="worker"/> evaluated it. A late result (the
    /// trial went to another worker after this one's lease ran out) counts if it is the first, and the other worker is
    /// to abandon it; a late failure is dropped while another worker evaluates the trial again.
    /// </summary>
    ResultAnswer Result(WorkerId worker, long trialId, ObjectiveResult result);

    /// <summary>
    /// Intermediate <paramref name="values"/> of trial <paramref name="trialId"/> at step <paramref name="atStep"/>, as
    /// <paramref name="worker"/> evaluates it (it also renews the worker's lease). The answer says to stop when the
    /// study's early stopping rule pruned the trial, or the trial is no longer open or no longer this worker's; a report
    /// whose step is not past the trial's last is not recorded (a retried or repeated report) and the trial goes on.
    /// </summary>
    /// <exception cref="HpcTune.Trials.TrialStateException">There is no such trial.</exception>
    ReportAnswer Report(WorkerId worker, long trialId, long atStep, IReadOnlyDictionary<string, double> values);

    /// <summary>
    /// Where trial <paramref name="trial"/> writes its checkpoint and reads its parent's (population based training),
    /// as absolute paths; null when it has none. A transport sends them with the trial; the worker calls
    /// <see cref="Objectives.CheckpointDirectories.Prepare"/> before the objective runs.
    /// </summary>
    TrialCheckpointPaths? CheckpointPathsOf(Trial trial);

    /// <summary>
    /// <paramref name="worker"/> still evaluates trial <paramref name="trialId"/>: renews its lease while the trial is
    /// still the worker's; an order to abandon it when the trial is completed, failed or deleted.
    /// </summary>
    /// <exception cref="HpcTune.Trials.TrialStateException">There is no such trial.</exception>
    AbandonOrder? Heartbeat(WorkerId worker, long trialId);

    /// <summary>A task that completes at the next change of the study: a worker that was told to wait asks again then.</summary>
    Task WaitForChangeAsync();
}
