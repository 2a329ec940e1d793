namespace HpcTune.Search;

/// <summary>Registers HpcTune.Search's algorithms and early stopping rules with Core's registries.</summary>
public static class SearchAlgorithms
{
    /// <summary>
    /// Adds the early stopping rules (<c>median</c>, <c>asha</c>) and algorithms (<c>pbt</c>, <c>evolution</c>) of this library to
    /// <see cref="Sampling.AlgorithmRegistry.Default"/> and <see cref="Scheduling.EarlyStoppingRegistry.Default"/>. Call
    /// once at start, before studies are read; calling again does nothing.
    /// </summary>
    public static void Register()
    {
        Sampling.AlgorithmRegistry.Default.Add(Population.PbtAlgorithmProvider.Instance);
        Sampling.AlgorithmRegistry.Default.Add(Evolution.EvolutionAlgorithmProvider.Instance);
        EarlyStopping.EarlyStoppingRules.Register();
    }
}
