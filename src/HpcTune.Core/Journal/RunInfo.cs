namespace HpcTune.Journal;

/// <summary>
/// One start of a master on a checkpoint (run or resume): where it ran and which objective it evaluated,
/// so that <c>resume</c> can reuse the objective when none is given.
/// </summary>
/// <param name="Time">When it started.</param>
/// <param name="Host">The master's host name.</param>
/// <param name="ProcessId">The master's process id.</param>
/// <param name="Objective">The objective: <c>builtin:NAME</c> or <c>command</c>.</param>
/// <param name="Command">The command objective's argv template, or null.</param>
/// <param name="TrialTimeoutSeconds">Per-trial time limit, or null.</param>
public sealed record RunInfo(DateTimeOffset Time, string Host, int ProcessId, string Objective, IReadOnlyList<string>? Command, double? TrialTimeoutSeconds);
