namespace HpcTune.Tuning;

/// <summary>What a worker learns when it reports that it is still evaluating a trial.</summary>
public enum HeartbeatAnswer
{
    /// <summary>The trial is still this worker's; its lease runs for another period.</summary>
    Renewed,

    /// <summary>
    /// The lease ran out and the trial was interrupted (and maybe handed to another worker). The worker may finish:
    /// its result is recorded if it is the first to arrive.
    /// </summary>
    Reassigned,

    /// <summary>The trial is completed, failed or deleted: the worker should abandon the evaluation.</summary>
    Finished,
}
