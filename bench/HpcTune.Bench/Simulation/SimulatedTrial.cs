namespace HpcTune.Bench.Simulation;

/// <summary>
/// One trial on the virtual clock: its worker asked for work at <c>Requested</c>, got the trial at <c>Issued</c> and
/// evaluated it for <c>Duration</c> seconds (virtual seconds from the start of the run).
/// </summary>
internal sealed record SimulatedTrial(long TrialId, int Worker, double Requested, double Issued, double Duration)
{
    /// <summary>When the worker finished evaluating.</summary>
    public double Finished => Issued + Duration;

    /// <summary>How long the request waited for the master.</summary>
    public double Queueing => Issued - Requested;
}
