using HpcTune.Sampling;
using HpcTune.Study;

namespace HpcTune.Search.Population;

/// <summary>
/// <c>pbt</c>: population based training (<see cref="PbtSampler"/>), with the options of <see cref="PbtOptions"/>.
/// It refuses <c>early_stopping</c>, several objectives, and an <c>observation_budget</c> other than
/// <c>population_size × generations</c>.
/// </summary>
internal sealed class PbtAlgorithmProvider : IAlgorithmProvider
{
    /// <summary>The name studies use.</summary>
    public const string AlgorithmName = "pbt";

    /// <summary>The instance <see cref="SearchAlgorithms.Register"/> adds, so registering twice is harmless.</summary>
    public static PbtAlgorithmProvider Instance { get; } = new();

    public string Name => AlgorithmName;

    public void Validate(StudyDefinition definition) => PbtOptions.Read(definition);

    public ISampler Create(StudyDefinition definition) => new PbtSampler(definition, PbtOptions.Read(definition, checkStudy: false));
}
