namespace HpcTune.Trials;

/// <summary>Intermediate metric values a trial reported while it ran (CONTRACTS.md §6).</summary>
/// <param name="Step">The training step, iteration or epoch; each report of a trial has a larger one than the last.</param>
/// <param name="Values">Metric values at that step (names of the study's metrics).</param>
/// <param name="Time">When the master recorded it.</param>
public sealed record TrialReport(long Step, IReadOnlyDictionary<string, double> Values, DateTimeOffset Time);
