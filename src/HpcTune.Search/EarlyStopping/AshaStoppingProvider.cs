using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Study;

namespace HpcTune.Search.EarlyStopping;

/// <summary>
/// <c>"early_stopping": {"name": "asha", "min_steps": 1, "reduction_factor": 3, "max_steps": 81, "metric": "loss"}</c>:
/// see <see cref="AshaStopping"/>. <c>min_steps</c> (default 1): the first rung's step; <c>reduction_factor</c>
/// (η, default 3, an integer of at least 2): each rung's step is η times the one before and keeps the top 1/η;
/// <c>max_steps</c> (optional, larger than <c>min_steps</c>): the step a full trial reaches, rungs lie below it (a trial
/// is never stopped at or past it); <c>metric</c> (default: the study's first objective).
/// </summary>
internal sealed class AshaStoppingProvider : IEarlyStoppingProvider
{
    /// <summary>The rule's name in study JSON.</summary>
    public const string RuleName = "asha";

    private AshaStoppingProvider()
    {
    }

    /// <summary>The one instance, registered by <see cref="SearchAlgorithms.Register"/>.</summary>
    public static AshaStoppingProvider Instance { get; } = new();

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
        var minSteps = reader.Int32("min_steps", min: 1) ?? 1;
        var reductionFactor = reader.Int32("reduction_factor", min: 2) ?? 3;
        var maxSteps = reader.Int32("max_steps", min: 1);
        if (maxSteps <= minSteps)
        {
            throw new DefinitionException(reader.Path("max_steps"),
                $"max_steps ({maxSteps}) must be larger than min_steps ({minSteps}): rungs lie from min_steps up to below max_steps, so there would be none");
        }

        reader.RejectUnknown();
        return new AshaStopping(metric, Rungs(minSteps, reductionFactor, maxSteps), reductionFactor);
    }

    /// <summary>min_steps · η^k for k = 0, 1, ... below <paramref name="maxSteps"/> (or while the steps fit a long).</summary>
    internal static long[] Rungs(long minSteps, int reductionFactor, long? maxSteps)
    {
        var limit = maxSteps ?? long.MaxValue;
        var rungs = new List<long>();
        for (var step = minSteps; step < limit; step *= reductionFactor)
        {
            rungs.Add(step);
            if (step > long.MaxValue / reductionFactor)
            {
                break;
            }
        }

        return [.. rungs];
    }
}
