using System.Runtime.CompilerServices;
using HpcTune.Sampling;
using HpcTune.Study;

namespace HpcTune.Tests.Sampling;

/// <summary>
/// Core is tested without HpcTune.Gp, yet many of its tests read and make studies that name no algorithm, which
/// means the contract's default, gp (<see cref="AlgorithmSpec.DefaultName"/>), and a definition is checked against
/// the registered algorithms when it is made. This provider stands in for the GP under its name: it accepts any
/// option and refuses to create a sampler, so no Core test can pass by sampling with it.
/// </summary>
internal sealed class DefaultAlgorithmStandIn : IAlgorithmProvider
{
    public string Name => AlgorithmSpec.DefaultName;

    [ModuleInitializer]
    internal static void Register() => AlgorithmRegistry.Default.TryAdd(new DefaultAlgorithmStandIn());

    public void Validate(StudyDefinition definition)
    {
    }

    public ISampler Create(StudyDefinition definition) =>
        throw new DefinitionException("algorithm.name", "Core's tests have no gp sampler (HpcTune.Gp is not referenced); name random or sobol");
}
