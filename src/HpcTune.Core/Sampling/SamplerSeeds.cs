namespace HpcTune.Sampling;

/// <summary>
/// Seeds derived from a study's seed, the way the built-in samplers derive theirs: a sampler that draws trial n's
/// randomness from <c>ForTrial(snapshot.Seed, n)</c> gives the same suggestions after a resume and on every machine.
/// </summary>
public static class SamplerSeeds
{
    /// <summary>The seed of stream <paramref name="index"/> of <paramref name="seed"/> (SplitMix64-mixed, stable across .NET versions).</summary>
    public static long Derive(long seed, long index) => SplitMix64.Derive(seed, index);

    /// <summary>The seed for the new trial at 0-based position <paramref name="trialIndex"/> (<see cref="StudySnapshot.TrialsCreated"/> for the next one).</summary>
    public static long ForTrial(long seed, long trialIndex) => SplitMix64.Derive(seed, trialIndex);

    /// <summary>A generator of uniform doubles in [0, 1) from <paramref name="seed"/>.</summary>
    public static Func<double> Uniform(long seed)
    {
        var random = new SplitMix64(seed);
        return () => random.NextDouble();
    }
}
