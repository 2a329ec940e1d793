using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary>Creates the sampler a study definition names.</summary>
public static class SamplerFactory
{
    /// <summary>The sampler for <paramref name="definition"/>; a <see cref="DefinitionException"/> at <c>algorithm.name</c> if it cannot be made.</summary>
    public static ISampler Create(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = definition.Algorithm.Name;
        if (name == "sobol" && definition.Space.Dimension > SobolSequence.MaxDimension)
        {
            throw new DefinitionException("algorithm.name", $"sobol supports at most {SobolSequence.MaxDimension} parameters, the study has {definition.Space.Dimension}; use random");
        }

        return name switch
        {
            "random" => new RandomSampler(),
            "sobol" => new SobolSampler(),
            "gp" => throw new DefinitionException("algorithm.name", "the gp sampler is not part of this build yet; use \"random\" or \"sobol\""),
            _ => throw new DefinitionException("algorithm.name", $"unknown algorithm '{name}'; expected one of {string.Join(", ", AlgorithmSpec.KnownNames)}"),
        };
    }
}
