using HpcTune.Sampling;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>Optional collaborators of a <see cref="Tuner"/>; every one has a default.</summary>
public sealed record TunerOptions
{
    /// <summary>The sampler; default: the one the definition's algorithm names.</summary>
    public ISampler? Sampler { get; init; }

    /// <summary>
    /// How many suggestions to keep computed ahead of requests, on a core that would otherwise idle while workers
    /// evaluate; only for samplers whose suggestions cost more than a millisecond. A suggestion computed ahead may miss
    /// results that arrive before its trial is handed out (up to the parallel bandwidth, at least 4). Default 0: each
    /// is computed when asked for. The MPI master keeps 4.
    /// </summary>
    public int SuggestAhead { get; init; }

    /// <summary>
    /// The rule that stops losing trials from their reports (<see cref="Tuner.ReportProgress"/>); default: the one the
    /// definition's <c>early_stopping</c> names, if any.
    /// </summary>
    public Scheduling.IEarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// The folder that relative checkpoint directories of a population's trials (<see cref="Trials.TrialLineage.CheckpointDirectory"/>)
    /// live in: the study's checkpoint folder on the command line. Default: the current directory.
    /// </summary>
    public string? CheckpointRoot { get; init; }

    /// <summary>Receives every event before it is applied (the journal); default: none.</summary>
    public IStudyEventSink? Sink { get; init; }

    /// <summary>The clock for timestamps; default: the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Where failures and warnings go; default: nowhere.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// How long an open trial's worker may go unheard (see <see cref="Tuner.Heartbeat"/>) before
    /// <see cref="Tuner.ExpireLeases"/> interrupts the trial and hands it to another worker; default: no leases.
    /// </summary>
    public TimeSpan? LeasePeriod { get; init; }

    /// <summary>
    /// The per-trial time limit the workers enforce; with leases, a trial still open one lease period past it is
    /// taken from its (hung) worker even if heartbeats still come.
    /// </summary>
    public TimeSpan? TrialTimeout { get; init; }
}
