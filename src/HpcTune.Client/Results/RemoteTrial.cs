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

    /// <summary>Why it failed or was interrupted; null otherwise.</summary>
    public string? FailureReason { get; internal init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? Created { get; internal init; }

    /// <summary>When it finished; null while it is open or interrupted.</summary>
    public DateTimeOffset? Finished { get; internal init; }

    /// <summary>Its intermediate results (CONTRACTS.md §6), in step order.</summary>
    public IReadOnlyList<RemoteProgressReport> Reports { get; internal init; } = [];

    /// <inheritdoc/>
    public override string ToString() => $"trial {Id} ({State.ToString().ToLowerInvariant()}): {Parameters}";
}
