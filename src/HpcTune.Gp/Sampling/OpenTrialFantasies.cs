using HpcTune.Gp.Model;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// Which open trials a suggestion's model carries as fantasies (kriging believer) when more are open than
/// <see cref="GpOptions.MaxFantasies"/>: the nearest to the search's centre in the kernel's own distance,
/// Σ_f ((x_f − c_f) / ℓ_f)². Each fantasy is a row of the model's factor, so 4,000 open trials made every suggestion
/// a model of n + 4,000 points (docs/scale.md); the candidates are searched in a trust region around that centre, where
/// far open trials barely change the posterior. Every open trial still keeps new suggestions off itself (the pending
/// radius and the taken set), fantasized or not.
/// </summary>
internal static class OpenTrialFantasies
{
    /// <summary>
    /// The indices into <paramref name="open"/> of the trials fantasized, ascending: all of them when there are no more
    /// than <paramref name="cap"/>, otherwise the <paramref name="cap"/> nearest to <paramref name="centre"/>; ties go
    /// to the earlier trial, so the choice depends on the data alone.
    /// </summary>
    public static int[] Select(IReadOnlyList<double[]> open, ReadOnlySpan<double> centre, GpHyperparameters hyperparameters, int cap)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var count = open.Count;
        if (count <= cap)
        {
            return [.. Enumerable.Range(0, count)];
        }

        return [.. LocalModelData.ByDistance(open, centre, hyperparameters).Take(cap).Order()]; // equal distances in index order
    }
}
