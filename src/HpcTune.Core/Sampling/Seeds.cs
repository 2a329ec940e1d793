namespace HpcTune.Sampling;

/// <summary>
/// Seeds and uniform numbers that depend on nothing but a seed and an index, the same on every machine and .NET
/// version (<see cref="Random"/> promises neither), so a sampler that draws from them gives the same suggestions
/// again after a resume. Built-in samplers draw trial <c>n</c>'s numbers from <c>Derive(seed, n)</c>; a sampler of
/// a program's own does the same with the study's seed.
/// </summary>
/// <example>
/// <code>
/// var unit = new double[snapshot.Definition.Space.Dimension];
/// Seeds.FillUniform(Seeds.Derive(studySeed, trialNumber), unit);
/// var assignment = snapshot.Definition.Space.Decode(unit);
/// </code>
/// </example>
public static class Seeds
{
    /// <summary>
    /// The seed of stream <paramref name="index"/> of <paramref name="seed"/> (SplitMix64 mixing): different indexes
    /// give unrelated seeds, the same pair always the same one.
    /// </summary>
    public static long Derive(long seed, long index) => SplitMix64.Derive(seed, index);

    /// <summary>Fills <paramref name="destination"/> with numbers uniform in [0, 1) (53 random bits each) drawn from <paramref name="seed"/>.</summary>
    public static void FillUniform(long seed, Span<double> destination)
    {
        var random = new SplitMix64(seed);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = random.NextDouble();
        }
    }
}
