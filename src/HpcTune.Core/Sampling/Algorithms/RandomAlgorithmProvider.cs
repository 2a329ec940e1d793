using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary><c>random</c>: uniform points (<see cref="RandomSampler"/>). Its only option besides the seed is the first edition's <c>initial_points</c>.</summary>
internal sealed class RandomAlgorithmProvider : IAlgorithmProvider
{
    public string Name => "random";

    public void Validate(StudyDefinition definition) => LegacyOptions.Validate(definition);

    public ISampler Create(StudyDefinition definition) => new RandomSampler();
}
