namespace HpcTune.Client;

/// <summary>The server's answer to a heartbeat.</summary>
public sealed class HeartbeatOutcome
{
    internal HeartbeatOutcome(bool abandon, string reason)
    {
        Abandon = abandon;
        Reason = reason;
    }

    /// <summary>Stop evaluating: the trial is finished or belongs to another worker now.</summary>
    public bool Abandon { get; }

    /// <summary>Why, when <see cref="Abandon"/>; empty otherwise.</summary>
    public string Reason { get; }
}
