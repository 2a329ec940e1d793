using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Transport;

/// <summary>
/// What travels between the master and a worker process (an MPI rank; the network service's workers); see
/// <see cref="MessageCodec"/> for the bytes. The master turns each into a <see cref="WorkerHub"/> call.
/// </summary>
internal abstract record WireMessage;

/// <summary>
/// Worker → master: this worker has joined (<see cref="WorkerHub.Join"/>) and wants work for each of its slots. Sent
/// again, it asks again: a slot that holds a trial gets the same trial back, which the worker ignores.
/// </summary>
internal sealed record ReadyMessage(string Host, int Rank) : WireMessage;

/// <summary>
/// Master → worker, once: the study, how to evaluate it (the objective part is the command line's own JSON), and how
/// often to send a <see cref="HeartbeatMessage"/> while evaluating (null: never).
/// </summary>
internal sealed record WelcomeMessage(StudyDefinition Study, string ObjectiveJson, double? HeartbeatSeconds = null) : WireMessage;

/// <summary>
/// Master → worker: evaluate this trial. A trial of a population also carries its lineage and its checkpoint
/// directories as absolute paths (<see cref="IWorkerHub.CheckpointPathsOf"/>), which the worker prepares before the
/// objective runs.
/// </summary>
internal sealed record SuggestionMessage(long TrialId, int Attempt, IReadOnlyDictionary<string, Scalar> Assignment, TrialLineage? Lineage = null, TrialCheckpointPaths? Checkpoints = null) : WireMessage;

/// <summary>Worker → master: a running trial's intermediate values at a step (<see cref="IWorkerHub.Report"/>).</summary>
internal sealed record ReportMessage(long TrialId, long Step, IReadOnlyDictionary<string, double> Values) : WireMessage;

/// <summary>
/// Master → worker: the answer to a <see cref="ReportMessage"/> (<see cref="Objectives.ReportAnswer"/>). On stop the
/// master has already freed the trial's slot, and the worker sends no result for it.
/// </summary>
internal sealed record ReportAnswerMessage(long TrialId, long Step, bool Stop, string? Reason, bool Recorded) : WireMessage;

/// <summary>Worker → master: a trial's outcome (values, or a failure reason), with metadata and the time it took.</summary>
internal sealed record ResultMessage(long TrialId, IReadOnlyDictionary<string, double>? Values, string? Failure, IReadOnlyDictionary<string, Scalar> Metadata, double Seconds) : WireMessage;

/// <summary>Worker → master: still holding these trials, evaluating one and the rest queued (renews their leases).</summary>
internal sealed record HeartbeatMessage(IReadOnlyList<long> TrialIds) : WireMessage;

/// <summary>
/// Master → worker: drop this trial (its result is no longer wanted); the worker answers with a result whose failure
/// says so, which frees the slot.
/// </summary>
internal sealed record AbandonMessage(long TrialId, string Reason) : WireMessage;

/// <summary>Master → worker: no more work; abandon any evaluation and exit.</summary>
internal sealed record StopMessage(string Reason) : WireMessage;

/// <summary>
/// Worker → master: this worker is going away (<see cref="WorkerHub.Leave"/>); the trials it holds go out again
/// first, and the master sends it nothing more.
/// </summary>
internal sealed record LeaveMessage(string Reason) : WireMessage;

/// <summary>
/// Either way: several messages for one worker in a single transport message — a round's suggestions for a rank with
/// several slots, the results a worker finished between two looks at MPI — so a round costs one send, one receive and
/// one wake-up per worker instead of one per trial. Never nested.
/// </summary>
internal sealed record BundleMessage(IReadOnlyList<WireMessage> Messages) : WireMessage;

/// <summary>
/// Decoded only, never sent: a message inside a bundle that could not be read (<see cref="Problem"/> says why); the
/// bundle's other messages are read as usual.
/// </summary>
internal sealed record MalformedMessage(string Problem) : WireMessage;
