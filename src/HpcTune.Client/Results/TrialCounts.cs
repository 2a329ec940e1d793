namespace HpcTune.Client;

/// <summary>How many trials of a study are in each state.</summary>
public sealed class TrialCounts
{
    internal TrialCounts()
    {
    }

    /// <summary>Completed observations.</summary>
    public int Completed { get; internal init; }

    /// <summary>Trials held by workers now.</summary>
    public int Open { get; internal init; }

    /// <summary>Failed observations.</summary>
    public int Failed { get; internal init; }

    /// <summary>Trials waiting to be handed out again.</summary>
    public int Interrupted { get; internal init; }

    /// <summary>Trials deleted by a user.</summary>
    public int Deleted { get; internal init; }

    /// <summary>Trials stopped early; with <see cref="Completed"/> they count toward the budget.</summary>
    public int Pruned { get; internal init; }
}
