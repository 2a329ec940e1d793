namespace HpcTune.Sampling;

/// <summary>
/// The Sobol low-discrepancy sequence in [0, 1)^d with 32-bit precision, optionally scrambled by a random
/// linear matrix scramble plus a digital shift (which keeps the net properties). Point <c>n</c> is computed
/// directly from <c>n</c> (Gray-code order), so a sampler's state is just its seed and how many it has drawn.
/// </summary>
internal sealed class SobolSequence
{
    private const int Bits = 32;
    private const double Scale = 1.0 / 4294967296.0;
    private readonly uint[][] _directions; // [dimension][bit], bit 0 is the first binary digit (2^-1)
    private readonly uint[] _shift;

    /// <summary>An unscrambled sequence (the published points).</summary>
    public SobolSequence(int dimension)
        : this(dimension, scrambleSeed: null)
    {
    }

    /// <summary>A sequence scrambled from <paramref name="scrambleSeed"/> (null: unscrambled).</summary>
    public SobolSequence(int dimension, long? scrambleSeed)
    {
        if (dimension < 1 || dimension > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Sobol supports 1..{MaxDimension} dimensions");
        }

        Dimension = dimension;
        _directions = new uint[dimension][];
        _shift = new uint[dimension];
        var random = scrambleSeed is { } seed ? new SplitMix64(seed) : default;
        for (var d = 0; d < dimension; d++)
        {
            _directions[d] = DirectionsOf(d);
            if (scrambleSeed is not null)
            {
                Scramble(_directions[d], ref random);
                _shift[d] = (uint)random.Next();
            }
        }
    }

    /// <summary>Most dimensions supported.</summary>
    public static int MaxDimension => SobolDirectionNumbers.MaxDimension;

    /// <summary>Number of coordinates per point.</summary>
    public int Dimension { get; }

    /// <summary>Writes point <paramref name="index"/> (0-based; below 2^32) into <paramref name="destination"/>.</summary>
    public void Point(long index, Span<double> destination)
    {
        if ((ulong)index >= 1UL << Bits)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Sobol point index must be in [0, 2^32)");
        }

        if (destination.Length != Dimension)
        {
            throw new ArgumentException($"expected {Dimension} coordinates, got room for {destination.Length}", nameof(destination));
        }

        var gray = (uint)(index ^ (index >> 1));
        for (var d = 0; d < Dimension; d++)
        {
            var x = _shift[d];
            var directions = _directions[d];
            for (var bits = gray; bits != 0; bits &= bits - 1)
            {
                x ^= directions[System.Numerics.BitOperations.TrailingZeroCount(bits)];
            }

            destination[d] = x * Scale;
        }
    }

    /// <summary>Point <paramref name="index"/> as a new array.</summary>
    public double[] Point(long index)
    {
        var point = new double[Dimension];
        Point(index, point);
        return point;
    }

    private static uint[] DirectionsOf(int dimension)
    {
        var v = new uint[Bits];
        if (dimension == 0)
        {
            for (var k = 0; k < Bits; k++)
            {
                v[k] = 1u << (Bits - 1 - k);
            }

            return v;
        }

        var row = SobolDirectionNumbers.Rows[dimension - 1];
        var s = row.Degree;
        for (var k = 0; k < Math.Min(s, Bits); k++)
        {
            v[k] = row.Initial[k] << (Bits - 1 - k);
        }

        for (var k = s; k < Bits; k++)
        {
            var value = v[k - s] ^ (v[k - s] >> s);
            for (var j = 1; j < s; j++)
            {
                if (((row.Coefficients >> (s - 1 - j)) & 1) != 0)
                {
                    value ^= v[k - j];
                }
            }

            v[k] = value;
        }

        return v;
    }

    /// <summary>
    /// Left-multiplies every direction number by a random unit lower-triangular binary matrix: output digit i is
    /// input digit i XOR a random choice of the digits before it. Digit i lives at bit 31 - i.
    /// </summary>
    private static void Scramble(uint[] directions, ref SplitMix64 random)
    {
        Span<uint> rows = stackalloc uint[Bits];
        for (var i = 0; i < Bits; i++)
        {
            var diagonal = 1u << (Bits - 1 - i);
            var above = i == 0 ? 0u : ~((diagonal << 1) - 1);
            rows[i] = diagonal | ((uint)random.Next() & above);
        }

        for (var k = 0; k < directions.Length; k++)
        {
            uint scrambled = 0;
            for (var i = 0; i < Bits; i++)
            {
                if ((System.Numerics.BitOperations.PopCount(rows[i] & directions[k]) & 1) != 0)
                {
                    scrambled |= 1u << (Bits - 1 - i);
                }
            }

            directions[k] = scrambled;
        }
    }
}
