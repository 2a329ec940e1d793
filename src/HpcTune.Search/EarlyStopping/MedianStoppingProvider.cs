using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Study;

namespace HpcTune.Search.EarlyStopping;

/// <summary>
/// <c>"early_stopping": {"name": "median", "min_steps": 0, "min_trials": 5, "metric": "loss"}</c>: see
/// <see cref="MedianStopping"/>. <c>min_steps</c> (default 0): steps before which no trial stops (warm-up);
/// <c>min_trials</c> (default 5): other trials that must have reached a step before it can stop anyone there;
/// <c>metric</c> (default: the study's first objective).
/// </summary>
internal sealed class MedianStoppingProvider : IEarlyStoppingProvider
{
    /// <summary>The rule's name in study JSON.</summary>
    public const string RuleName = "median";

    /// <summary>The default of <c>min_trials</c>, Optuna's MedianPruner's <c>n_startup_trials</c>.</summary>
    public const int DefaultMinTrials = 5;

    private MedianStoppingProvider()
    {
    }

    /// <summary>The one instance, registered by <see cref="SearchAlgorithms.Register"/>.</summary>
    public static MedianStoppingProvider Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => RuleName;

    /// <inheritdoc/>
    public void Validate(StudyDefinition definition) => Create(definition);

    /// <inheritdoc/>
    public IEarlyStopping Create(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var spec = definition.EarlyStopping ?? throw new ArgumentException("the study has no early_stopping", nameof(definition));
        var reader = new AlgorithmOptionReader(spec);
        var metric = StoppingMetric.Read(definition, reader);
        var minSteps = reader.Int32("min_steps", min: 0) ?? 0;
        var minTrials = reader.Int32("min_trials", min: 1) ?? DefaultMinTrials;
        reader.RejectUnknown();
        return new MedianStopping(metric, minSteps, minTrials);
    }
}
