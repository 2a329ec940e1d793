using HpcTune.Study;

namespace HpcTune.Client;

/// <summary>A served study: its id, status, budget, counts and recorded definition.</summary>
public sealed class StudyDescription
{
    internal StudyDescription()
    {
    }

    /// <summary>The study's id on the server (what <see cref="ExperimentClientOptions.Study"/> names).</summary>
    public string Id { get; internal init; } = "";

    /// <summary>The study's name.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Running, done, broken or stopped.</summary>
    public RemoteStudyStatus Status { get; internal init; }

    /// <summary>Why it is broken or stopped; empty otherwise.</summary>
    public string StatusReason { get; internal init; } = "";

    /// <summary>How many completed (or pruned) observations end the study.</summary>
    public int ObservationBudget { get; internal init; }

    /// <summary>How many trials may be open at once.</summary>
    public int ParallelBandwidth { get; internal init; }

    /// <summary>Trials per state.</summary>
    public TrialCounts Counts { get; internal init; } = new();

    /// <summary>The study JSON as recorded (CONTRACTS.md §1).</summary>
    public string DefinitionJson { get; internal init; } = "{}";

    /// <summary>The recorded definition, read; null when this client cannot read it (a newer server's format).</summary>
    public StudyDefinition? Definition { get; internal init; }
}
