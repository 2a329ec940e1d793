using HpcTune.Sampling;
using HpcTune.Study;

namespace HpcTune.Search.Evolution;

/// <summary>
/// <c>evolution</c>: regularized (aging) evolution (<see cref="EvolutionSampler"/>) with the options of
/// <see cref="EvolutionOptions"/>. It refuses studies with several optimized metrics: a tournament needs one order.
/// </summary>
internal sealed class EvolutionAlgorithmProvider : IAlgorithmProvider
{
    /// <summary>The name studies use.</summary>
    public const string AlgorithmName = "evolution";

    /// <summary>The instance <see cref="SearchAlgorithms.Register"/> adds, so registering twice is harmless.</summary>
    public static EvolutionAlgorithmProvider Instance { get; } = new();

    public string Name => AlgorithmName;

    public void Validate(StudyDefinition definition)
    {
        _ = EvolutionOptions.Read(definition);
        RefuseSeveralObjectives(definition);
    }

    public ISampler Create(StudyDefinition definition)
    {
        RefuseSeveralObjectives(definition);
        return new EvolutionSampler(definition.Space, EvolutionOptions.Read(definition));
    }

    private static void RefuseSeveralObjectives(StudyDefinition definition)
    {
        if (definition.IsMultiObjective)
        {
            var optimized = definition.Objectives.Select(m => m.Name).ToList();
            throw new DefinitionException("algorithm.name",
                $"the evolution algorithm picks each parent by one objective, but the study optimizes {optimized.Count} ({string.Join(", ", optimized)}): "
                + "make all but one a constraint or a stored metric, or use random or sobol");
        }
    }
}
