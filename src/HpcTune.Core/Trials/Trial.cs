using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Trials;

/// <summary>An immutable snapshot of one trial: its assignment, state, result and bookkeeping.</summary>
public sealed record Trial
{
    /// <summary>Identifier, 1, 2, 3, ... in creation order.</summary>
    public required long Id { get; init; }

    /// <summary>The parameter values to evaluate.</summary>
    public required Assignment Assignment { get; init; }

    /// <summary>Current state.</summary>
    public required TrialState State { get; init; }

    /// <summary>The worker that holds (or last held) it.</summary>
    public required string Worker { get; init; }

    /// <summary>How many times it was handed out (1 unless re-issued after an interruption).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>
    /// How many trials had completed when it was created: the results its suggestion was made from (with other
    /// suggestions open, fewer than the results in before its own).
    /// </summary>
    public int CompletedBefore { get; init; }

    /// <summary>When it was first suggested.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last handed out.</summary>
    public required DateTimeOffset SuggestedAt { get; init; }

    /// <summary>When it was completed, failed, interrupted or deleted last.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Metric values (Completed; for Pruned, its last report's).</summary>
    public IReadOnlyDictionary<string, double>? Values { get; init; }

    /// <summary>Why it failed or was interrupted.</summary>
    public string? Reason { get; init; }

    /// <summary>Metadata reported with its result.</summary>
    public IReadOnlyDictionary<string, Scalar> Metadata { get; init; } = EmptyMetadata;

    /// <summary>Intermediate values it reported while it ran, steps strictly increasing.</summary>
    public IReadOnlyList<TrialReport> Reports { get; init; } = [];

    /// <summary>Where it stands in a population (population based training), or null.</summary>
    public TrialLineage? Lineage { get; init; }

    /// <summary>An empty metadata map.</summary>
    public static IReadOnlyDictionary<string, Scalar> EmptyMetadata { get; } = new Dictionary<string, Scalar>();
}
