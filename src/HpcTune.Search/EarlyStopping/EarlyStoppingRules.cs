using HpcTune.Scheduling;

namespace HpcTune.Search.EarlyStopping;

/// <summary>The early stopping rules of this library.</summary>
internal static class EarlyStoppingRules
{
    /// <summary>Adds <c>median</c> and <c>asha</c> to <see cref="EarlyStoppingRegistry.Default"/> (again is harmless).</summary>
    public static void Register()
    {
        EarlyStoppingRegistry.Default.Add(MedianStoppingProvider.Instance);
        EarlyStoppingRegistry.Default.Add(AshaStoppingProvider.Instance);
    }
}
