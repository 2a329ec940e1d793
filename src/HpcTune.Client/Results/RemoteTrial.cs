using HpcTune.Space;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Client;

/// <summary>A trial of a served study, as the server last reported it.</summary>
public sealed class RemoteTrial
{
    internal RemoteTrial()
    {
    }

    /// <summary>The trial's id in its study.</summary>
    public long Id { get; internal init; }

    /// <summary>Its state when the server answered.</summary>
    public TrialState State { get; internal init; }

    /// <summary>
    /// The parameter values, in the order of the study's space when the client knows it (it reads the study's
    /// definition when it connects); inactive conditional parameters are absent.
    /// </summary>
    public Assignment Parameters { get; internal init; } = new([], []);

    /// <summary>Metric name → value, for completed and pruned trials; empty otherwise.</summary>
    public IReadOnlyDictionary<string, double> Values { get; internal init; } = new Dictionary<string, double>();

    /// <summary>Metadata recorded with the trial (string, number or boolean values).</summary>
    public IReadOnlyDictionary<string, Scalar> Metadata { get; internal init; } = Trial.EmptyMetadata;

    /// <summary>The worker that holds or held it; empty for a trial never handed out.</summary>
    public string Worker { get; internal init; } = "";

    /// <summary>Why it failed, was pruned (stopped early) or was interrupted; null otherwise.</summary>
    public string? FailureReason { get; internal init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? Created { get; internal init; }

    /// <summary>When it finished; null while it is open or interrupted.</summary>
    public DateTimeOffset? Finished { get; internal init; }

    /// <summary>Its intermediate results (CONTRACTS.md §6), in step order.</summary>
    public IReadOnlyList<RemoteProgressReport> Reports { get; internal init; } = [];

    /// <summary>Where it stands in a population (population based training): member, generation, parent, steps; null otherwise.</summary>
    public TrialLineage? Lineage { get; internal init; }

    /// <summary>
    /// The absolute directory it writes its checkpoint to, on the server's file system (network workers share it), as
    /// suggestions and <see cref="ExperimentClient.GetTrialAsync"/> send it; null when it has none.
    /// </summary>
    public string? CheckpointDirectory { get; internal init; }

    /// <summary>The absolute checkpoint directory of the trial it continues from (read it, do not write it); null when it has none.</summary>
    public string? ParentCheckpointDirectory { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() => $"trial {Id} ({State.ToString().ToLowerInvariant()}): {Parameters}";
}
