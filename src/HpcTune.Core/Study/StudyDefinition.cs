using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Study;

/// <summary>
/// Everything that defines a study (CONTRACTS.md §1): the search space, the metrics, the budget and limits,
/// the algorithm and free-form metadata. Construction validates; errors are <see cref="DefinitionException"/>
/// naming the JSON path. Read and write JSON with <see cref="StudyDefinitionJson"/>.
/// </summary>
public sealed class StudyDefinition : IEquatable<StudyDefinition>
{
    /// <summary>Creates and validates a definition.</summary>
    public StudyDefinition(
        string name,
        IEnumerable<ParameterDefinition> parameters,
        IEnumerable<MetricDefinition> metrics,
        int observationBudget,
        int parallelBandwidth = 1,
        int? maxFailures = null,
        AlgorithmSpec? algorithm = null,
        IReadOnlyDictionary<string, Scalar>? metadata = null,
        IEnumerable<ConditionalDefinition>? conditionals = null,
        EarlyStoppingSpec? earlyStopping = null)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DefinitionException("name", "the study needs a non-empty name");
        }

        Name = name;
        Space = new SearchSpace(parameters, conditionals);
        Metrics = [.. metrics];
        ValidateMetrics();
        Objectives = [.. Metrics.Where(m => m.Strategy == MetricStrategy.Optimize)];
        if (observationBudget < 1)
        {
            throw new DefinitionException("observation_budget", $"expected a positive integer, got {observationBudget}");
        }

        if (parallelBandwidth < 1)
        {
            throw new DefinitionException("parallel_bandwidth", $"expected a positive integer, got {parallelBandwidth}");
        }

        if (maxFailures is < 1)
        {
            throw new DefinitionException("max_failures", $"expected a positive integer, got {maxFailures}");
        }

        ObservationBudget = observationBudget;
        ParallelBandwidth = parallelBandwidth;
        MaxFailures = maxFailures ?? observationBudget;
        Algorithm = algorithm ?? new AlgorithmSpec();
        Metadata = metadata is null ? new Dictionary<string, Scalar>() : new Dictionary<string, Scalar>(metadata, StringComparer.Ordinal);
        EarlyStopping = earlyStopping;

        // A recorded study was checked when it was first run; its algorithm need not be registered to read it.
        if (!ParameterNames.Relaxed)
        {
            AlgorithmRegistry.Default.Validate(this);
            if (EarlyStopping is not null)
            {
                Scheduling.EarlyStoppingRegistry.Default.Validate(this);
            }
        }
    }

    /// <summary>The study's name.</summary>
    public string Name { get; }

    /// <summary>The search space.</summary>
    public SearchSpace Space { get; }

    /// <summary>The metrics; one to <see cref="MaxObjectives"/> have <see cref="MetricStrategy.Optimize"/>.</summary>
    public IReadOnlyList<MetricDefinition> Metrics { get; }

    /// <summary>The most optimized metrics a study may have.</summary>
    public const int MaxObjectives = 4;

    /// <summary>The optimized metrics, in the order of <see cref="Metrics"/>: one, or two to four for a multi-objective study.</summary>
    public IReadOnlyList<MetricDefinition> Objectives { get; }

    /// <summary>The (first) optimized metric: a single-objective study's objective.</summary>
    public MetricDefinition Objective => Objectives[0];

    /// <summary>True when several metrics are optimized: the study's result is a Pareto front (<see cref="Tuning.StudyState.ParetoFront"/>).</summary>
    public bool IsMultiObjective => Objectives.Count > 1;

    /// <summary>True when some metric is a constraint (<see cref="MetricStrategy.Constraint"/>): trials that miss its threshold are infeasible.</summary>
    public bool HasConstraints => Metrics.Any(m => m.Strategy == MetricStrategy.Constraint);

    /// <summary>True when the space has conditionals, so some parameters may be absent from an assignment (<see cref="SearchSpace.HasConditions"/>).</summary>
    public bool HasConditions => Space.HasConditions;

    /// <summary>Completed observations after which the study is done.</summary>
    public int ObservationBudget { get; }

    /// <summary>Most suggestions open at once.</summary>
    public int ParallelBandwidth { get; }

    /// <summary>Failed observations after which the study stops as broken (default: the budget).</summary>
    public int MaxFailures { get; }

    /// <summary>The sampler and its options.</summary>
    public AlgorithmSpec Algorithm { get; }

    /// <summary>Free-form metadata (string keys; string or number values).</summary>
    public IReadOnlyDictionary<string, Scalar> Metadata { get; }

    /// <summary>The rule that stops losing trials early from their intermediate reports (CONTRACTS.md §6); null: none.</summary>
    public EarlyStoppingSpec? EarlyStopping { get; }

    /// <summary>A copy with other values for the named properties.</summary>
    public StudyDefinition With(int? observationBudget = null, int? parallelBandwidth = null, int? maxFailures = null, AlgorithmSpec? algorithm = null)
    {
        // The parameters are this study's, already accepted: a study recorded before the name rules keeps its names.
        StudyDefinition copy;
        using (ParameterNames.ReadingRecordedStudy())
        {
            copy = new(Name, Space.Parameters, Metrics, observationBudget ?? ObservationBudget, parallelBandwidth ?? ParallelBandwidth,
                maxFailures ?? MaxFailures, algorithm ?? Algorithm, Metadata, Space.Conditionals, EarlyStopping);
        }

        // Another algorithm (not just another seed) is a new choice, checked like a new definition's.
        if (algorithm is not null && algorithm != (Algorithm with { Seed = algorithm.Seed }))
        {
            AlgorithmRegistry.Default.Validate(copy);
        }

        return copy;
    }

    /// <summary>This definition if it has a seed; otherwise a copy with a random one, to be recorded so a resume repeats it.</summary>
    public StudyDefinition WithResolvedSeed() =>
        Algorithm.Seed is null ? With(algorithm: Algorithm with { Seed = Random.Shared.NextInt64() }) : this;

    private void ValidateMetrics()
    {
        if (Metrics.Count == 0)
        {
            throw new DefinitionException("metrics", "at least one metric is needed, e.g. [{\"name\": \"loss\", \"objective\": \"minimize\"}]");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Metrics.Count; i++)
        {
            var metric = Metrics[i];
            if (string.IsNullOrWhiteSpace(metric.Name))
            {
                throw new DefinitionException($"metrics[{i}].name", "every metric needs a non-empty name");
            }

            if (!names.Add(metric.Name))
            {
                throw new DefinitionException($"metrics[{i}].name", $"duplicate metric name '{metric.Name}'");
            }

            if (metric.Strategy == MetricStrategy.Constraint && metric.Threshold is not { } threshold)
            {
                throw new DefinitionException($"metrics[{i}].threshold", "a constraint metric needs a threshold");
            }

            if (metric.Threshold is { } t && (!double.IsFinite(t) || metric.Strategy != MetricStrategy.Constraint))
            {
                throw new DefinitionException($"metrics[{i}].threshold",
                    metric.Strategy != MetricStrategy.Constraint ? "a threshold is only allowed with \"strategy\": \"constraint\"" : "the threshold must be finite");
            }
        }

        var optimized = Metrics.Count(m => m.Strategy == MetricStrategy.Optimize);
        if (optimized is < 1 or > MaxObjectives)
        {
            throw new DefinitionException("metrics",
                $"one to {MaxObjectives} metrics must be optimized (strategy \"optimize\", the default; several make the study multi-objective), found {optimized}");
        }
    }

    /// <inheritdoc/>
    public bool Equals(StudyDefinition? other) =>
        other is not null
        && Name == other.Name
        && Space.Parameters.SequenceEqual(other.Space.Parameters)
        && Space.Conditionals.SequenceEqual(other.Space.Conditionals)
        && Metrics.SequenceEqual(other.Metrics)
        && ObservationBudget == other.ObservationBudget
        && ParallelBandwidth == other.ParallelBandwidth
        && MaxFailures == other.MaxFailures
        && Algorithm == other.Algorithm
        && EarlyStopping == other.EarlyStopping
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(p => other.Metadata.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StudyDefinition);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Space.Dimension, ObservationBudget, Algorithm);
}
