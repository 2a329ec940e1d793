namespace HpcTune.Client;

/// <summary>The server's answer to a result (observe or fail).</summary>
public sealed class ObserveOutcome
{
    internal ObserveOutcome()
    {
    }

    /// <summary>The result counts: recorded now, or recorded before (<see cref="Duplicate"/>).</summary>
    public bool Recorded { get; internal init; }

    /// <summary>The same result had been recorded already (its first answer was lost); it counts once.</summary>
    public bool Duplicate { get; internal init; }

    /// <summary>Why the result does not count, when <see cref="Recorded"/> is false; empty otherwise.</summary>
    public string Problem { get; internal init; } = "";

    /// <summary>
    /// The trial had been stopped early (pruned by the study's early stopping) before the result came: acknowledged,
    /// not recorded, and no error (the worker learnt of the stop late).
    /// </summary>
    public bool Pruned { get; internal init; }

    /// <summary>The trial as it is now; null when the server did not send it.</summary>
    public RemoteTrial? Trial { get; internal init; }
}
