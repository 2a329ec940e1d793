using HpcTune.Space;

namespace HpcTune.Tuning;

/// <summary>
/// A user added a trial (<see cref="Tuner.Insert"/>): with <paramref name="Values"/>, an observation made elsewhere,
/// completed at once; without, an assignment to evaluate, waiting (as an interrupted trial does) to be handed out
/// before any new suggestion.
/// </summary>
public sealed record TrialInserted(long TrialId, Assignment Assignment, IReadOnlyDictionary<string, double>? Values, DateTimeOffset Time) : StudyEvent(Time)
{
    /// <summary>The worker an inserted trial names until it is handed out.</summary>
    public const string Worker = "inserted";

    /// <summary>Why an inserted trial without values waits.</summary>
    public const string WaitingReason = "inserted: waiting to be handed out";
}
