namespace HpcTune.Client;

/// <summary>The server's answer to an intermediate result.</summary>
public sealed class ReportOutcome
{
    internal ReportOutcome(bool stop, string reason, bool recorded)
    {
        Stop = stop;
        Reason = reason;
        Recorded = recorded;
    }

    /// <summary>
    /// End the evaluation now: the study's early stopping pruned the trial (it ended with the values reported last),
    /// or the trial is no longer open or no longer this worker's. A result sent after is acknowledged and dropped.
    /// </summary>
    public bool Stop { get; }

    /// <summary>Why it stops, or why the report was not recorded; empty otherwise.</summary>
    public string Reason { get; }

    /// <summary>The report is in the study's journal; false for a step not past the trial's last report (a retry) or a trial that ended.</summary>
    public bool Recorded { get; }
}
