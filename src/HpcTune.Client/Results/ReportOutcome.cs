namespace HpcTune.Client;

/// <summary>The server's answer to an intermediate result.</summary>
public sealed class ReportOutcome
{
    internal ReportOutcome(bool stop, string reason)
    {
        Stop = stop;
        Reason = reason;
    }

    /// <summary>The trial should end early (its study's early stopping says so).</summary>
    public bool Stop { get; }

    /// <summary>Why, when <see cref="Stop"/>; empty otherwise.</summary>
    public string Reason { get; }
}
