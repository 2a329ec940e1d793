namespace HpcTune.Transport;

/// <summary>Tell <paramref name="Worker"/> to drop trial <paramref name="TrialId"/>: its result is no longer wanted.</summary>
/// <param name="Worker">The worker (slot) that holds the trial; its transport delivers the order.</param>
/// <param name="TrialId">The trial to drop.</param>
/// <param name="Reason">Why, in words.</param>
public readonly record struct AbandonOrder(WorkerId Worker, long TrialId, string Reason);
