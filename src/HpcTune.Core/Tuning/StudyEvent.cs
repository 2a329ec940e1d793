using HpcTune.Space;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Tuning;

/// <summary>
/// One change to a study. A study's state is the fold of its events in order (<see cref="StudyState.Apply"/>);
/// the journal stores exactly these, so replaying them rebuilds the study.
/// </summary>
/// <param name="Time">When the master recorded it.</param>
public abstract record StudyEvent(DateTimeOffset Time);

/// <summary>
/// A new trial was created and handed to <paramref name="Worker"/>; <paramref name="Lineage"/> places it in a population
/// (journaled as a record of its own kind, so a trial without one is recorded as the first edition recorded it).
/// </summary>
public sealed record TrialCreated(long TrialId, Assignment Assignment, string Worker, DateTimeOffset Time, TrialLineage? Lineage = null) : StudyEvent(Time);

/// <summary>An interrupted trial was handed out again, to <paramref name="Worker"/>.</summary>
public sealed record TrialReissued(long TrialId, string Worker, DateTimeOffset Time) : StudyEvent(Time);

/// <summary>A trial's metric values arrived.</summary>
public sealed record TrialObserved(long TrialId, IReadOnlyDictionary<string, double> Values, IReadOnlyDictionary<string, Scalar> Metadata, DateTimeOffset Time) : StudyEvent(Time);

/// <summary>A trial's evaluation failed.</summary>
public sealed record TrialFailed(long TrialId, string Reason, IReadOnlyDictionary<string, Scalar> Metadata, DateTimeOffset Time) : StudyEvent(Time);

/// <summary>A trial's worker let go of it (released, lease expired, master restarted); it will be handed out again.</summary>
public sealed record TrialInterrupted(long TrialId, string Reason, DateTimeOffset Time) : StudyEvent(Time);

/// <summary>A user dropped an open or interrupted trial.</summary>
public sealed record TrialDeleted(long TrialId, DateTimeOffset Time) : StudyEvent(Time);

/// <summary>The observation budget was changed (raised on resume).</summary>
public sealed record BudgetChanged(int ObservationBudget, DateTimeOffset Time) : StudyEvent(Time);

/// <summary>An open trial reported intermediate values at <paramref name="Step"/> (larger than its previous report's).</summary>
public sealed record TrialReported(long TrialId, long Step, IReadOnlyDictionary<string, double> Values, DateTimeOffset Time) : StudyEvent(Time);

/// <summary>An open trial was stopped early; it keeps its last report's values and counts toward the budget.</summary>
public sealed record TrialPruned(long TrialId, string Reason, DateTimeOffset Time) : StudyEvent(Time);
