namespace HpcTune.Sampling;

/// <summary>
/// A tiny, fast, well-mixed 64-bit generator (Steele, Lea, Flood 2014). Used where a stream must be rebuilt
/// from a seed and an index alone, which <see cref="Random"/> does not promise across .NET versions.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed)
    {
        _state = (ulong)seed;
    }

    /// <summary>A seed for the stream numbered <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public static long Derive(long seed, long index)
    {
        var mixer = new SplitMix64(seed ^ (long)Mix((ulong)index + 0x632BE59BD9B4E019UL));
        return (long)mixer.Next();
    }

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / 9007199254740992.0);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
