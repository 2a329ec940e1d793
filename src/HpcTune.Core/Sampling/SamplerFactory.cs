using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary>Creates the sampler a study definition names.</summary>
public static class SamplerFactory
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<StudyDefinition, ISampler>> Registered = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="name"/> create samplers with <paramref name="create"/> (samplers that live in other assemblies, like the GP).</summary>
    public static void Register(string name, Func<StudyDefinition, ISampler> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Registered[name] = create ?? throw new ArgumentNullException(nameof(create));
    }

    /// <summary>The sampler for <paramref name="definition"/>; a <see cref="DefinitionException"/> at <c>algorithm.name</c> if it cannot be made.</summary>
    public static ISampler Create(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = definition.Algorithm.Name;
        if (name == "sobol" && definition.Space.Dimension > SobolSequence.MaxDimension)
        {
            throw new DefinitionException("algorithm.name", $"sobol supports at most {SobolSequence.MaxDimension} parameters, the study has {definition.Space.Dimension}; use random");
        }

        if (Registered.TryGetValue(name, out var create))
        {
            return create(definition);
        }

        return name switch
        {
            "random" => new RandomSampler(),
            "sobol" => new SobolSampler(),
            "gp" => throw new DefinitionException("algorithm.name", "the gp sampler lives in HpcTune.Gp: call HpcTune.Gp.Sampling.GpSampler.Register() once before creating the tuner (the HpcTune command line does)"),
            _ => throw new DefinitionException("algorithm.name", $"unknown algorithm '{name}'; expected one of {string.Join(", ", AlgorithmSpec.KnownNames)}"),
        };
    }
}
