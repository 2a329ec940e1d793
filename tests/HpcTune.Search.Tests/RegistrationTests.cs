using HpcTune.Sampling;
using HpcTune.Scheduling;

namespace HpcTune.Search.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public void Registering_twice_is_harmless_and_keeps_the_registries_as_they_were()
    {
        SearchAlgorithms.Register();
        var algorithms = AlgorithmRegistry.Default.Names;
        var rules = EarlyStoppingRegistry.Default.Names;
        SearchAlgorithms.Register();
        Assert.Equal(algorithms, AlgorithmRegistry.Default.Names);
        Assert.Equal(rules, EarlyStoppingRegistry.Default.Names);
    }
}
