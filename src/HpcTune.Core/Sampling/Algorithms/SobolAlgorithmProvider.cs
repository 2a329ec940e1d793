using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary>
/// <c>sobol</c>: scrambled Sobol points (<see cref="SobolSampler"/>), for at most <see cref="SobolSequence.MaxDimension"/>
/// parameters. Its only option besides the seed is the first edition's <c>initial_points</c>.
/// </summary>
internal sealed class SobolAlgorithmProvider : IAlgorithmProvider
{
    public string Name => "sobol";

    public void Validate(StudyDefinition definition)
    {
        LegacyOptions.Validate(definition);
        CheckDimension(definition);
    }

    public ISampler Create(StudyDefinition definition)
    {
        CheckDimension(definition);
        return new SobolSampler();
    }

    private static void CheckDimension(StudyDefinition definition)
    {
        if (definition.Space.Dimension > SobolSequence.MaxDimension)
        {
            throw new DefinitionException("algorithm.name", $"sobol supports at most {SobolSequence.MaxDimension} parameters, the study has {definition.Space.Dimension}; use random");
        }
    }
}
