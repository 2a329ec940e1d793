using HpcTune.Study;
using HpcTune.Values;

namespace HpcTune.Mpi.Messages;

/// <summary>What travels between the master (rank 0) and a worker; see <see cref="MessageCodec"/> for the bytes.</summary>
internal abstract record WireMessage;

/// <summary>Worker → master: this rank is up and wants work.</summary>
internal sealed record ReadyMessage(string Host, int Rank) : WireMessage;

/// <summary>
/// Master → worker, once: the study, how to evaluate it (the objective part is the command line's own JSON), and how
/// often to send a <see cref="HeartbeatMessage"/> while evaluating (null: never).
/// </summary>
internal sealed record WelcomeMessage(StudyDefinition Study, string ObjectiveJson, double? HeartbeatSeconds = null) : WireMessage;

/// <summary>Master → worker: evaluate this trial.</summary>
internal sealed record SuggestionMessage(long TrialId, int Attempt, IReadOnlyDictionary<string, Scalar> Assignment) : WireMessage;

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
/// Either way: several messages for one rank in a single MPI message — a round's suggestions for a rank with several
/// slots, the results a worker finished between two looks at MPI — so a round costs one send, one receive and one
/// wake-up per rank instead of one per trial. Never nested.
/// </summary>
internal sealed record BundleMessage(IReadOnlyList<WireMessage> Messages) : WireMessage;

/// <summary>
/// Decoded only, never sent: a message inside a bundle that could not be read (<see cref="Problem"/> says why); the
/// bundle's other messages are read as usual.
/// </summary>
internal sealed record MalformedMessage(string Problem) : WireMessage;
