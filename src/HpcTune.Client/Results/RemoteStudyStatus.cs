namespace HpcTune.Client;

/// <summary>Where a served study stands.</summary>
public enum RemoteStudyStatus
{
    /// <summary>Trials are handed out.</summary>
    Running,

    /// <summary>The observation budget is met.</summary>
    Done,

    /// <summary>Failures reached <c>max_failures</c>.</summary>
    Broken,

    /// <summary>Stopped by a user: no new trials.</summary>
    Stopped,
}
