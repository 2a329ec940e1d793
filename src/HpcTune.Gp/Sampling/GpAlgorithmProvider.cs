using HpcTune.Sampling;
using HpcTune.Study;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// <c>gp</c>: Bayesian optimization with a Gaussian process (<see cref="GpSampler"/>). Options besides the seed:
/// <c>initial_points</c> (quasi-random points before the model takes over, a positive integer; default max(5, d + 1))
/// and <c>acquisition</c> (<c>log_ei</c>, the default, <c>ucb</c> or <c>qucb</c>). The GP models one objective
/// with constraint metrics and failures as the probability of feasibility (docs/gp-constraints.md); a conditional
/// space's inactive parameters are imputed in its features (docs/gp-conditional.md). It refuses studies with several
/// optimized metrics, which random and Sobol run.
/// </summary>
public sealed class GpAlgorithmProvider : IAlgorithmProvider
{
    private GpAlgorithmProvider()
    {
    }

    /// <summary>The one provider, the one <see cref="GpSampler.Register"/> adds.</summary>
    public static GpAlgorithmProvider Instance { get; } = new();

    /// <summary>The acquisitions the <c>acquisition</c> option accepts.</summary>
    public static IReadOnlyList<string> Acquisitions { get; } = ["log_ei", "ucb", "qucb"];

    /// <inheritdoc/>
    public string Name => "gp";

    /// <inheritdoc/>
    public void Validate(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _ = ReadOptions(definition);
        RefuseSeveralObjectives(definition);
    }

    /// <inheritdoc/>
    public ISampler Create(StudyDefinition definition) => new GpSampler(GpSampler.OptionsFor(definition));

    /// <summary>
    /// A study's <c>algorithm</c> object for the GP: <paramref name="initialPoints"/> and <paramref name="acquisition"/>
    /// are left out when null (their defaults apply).
    /// </summary>
    public static AlgorithmSpec Spec(long? seed = null, int? initialPoints = null, string? acquisition = null)
    {
        var spec = new AlgorithmSpec("gp", seed);
        spec = initialPoints is { } points ? spec.WithOption("initial_points", points) : spec;
        return acquisition is null ? spec : spec.WithOption("acquisition", acquisition);
    }

    /// <summary>The study's GP options: initial points (null: the default) and acquisition (null: log_ei).</summary>
    internal static (int? InitialPoints, string? Acquisition) ReadOptions(StudyDefinition definition)
    {
        var options = new AlgorithmOptionReader(definition.Algorithm);
        var initial = options.Int32("initial_points", min: 1);
        var acquisition = options.String("acquisition", Acquisitions);
        options.RejectUnknown();
        return (initial, acquisition);
    }

    private static void RefuseSeveralObjectives(StudyDefinition definition)
    {
        if (definition.IsMultiObjective)
        {
            var optimized = definition.Objectives.Select(m => m.Name).ToList();
            throw new DefinitionException("algorithm.name",
                $"the gp algorithm optimizes one metric, but the study optimizes {optimized.Count} ({string.Join(", ", optimized)}); several objectives are not supported by gp yet: use random or sobol");
        }
    }
}
