using System.Globalization;
using HpcTune.Sampling;

namespace HpcTune.Tests.Sampling;

public class SobolSequenceTests
{
    private static double[][] PublishedPoints() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "sobol-joe-kuo-first16.txt"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

    [Fact]
    public void Unscrambled_points_match_the_published_Joe_Kuo_values_in_every_dimension()
    {
        var published = PublishedPoints();
        Assert.Equal(16, published.Length);
        Assert.Equal(SobolSequence.MaxDimension, published[0].Length);
        Assert.True(SobolSequence.MaxDimension >= 21);
        var sequence = new SobolSequence(SobolSequence.MaxDimension);
        for (var n = 0; n < published.Length; n++)
        {
            Assert.Equal(published[n], sequence.Point(n));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(12345L)]
    public void The_first_4096_points_are_distinct_and_balanced(long? seed)
    {
        var sequence = new SobolSequence(21, seed);
        var seen = new HashSet<string>();
        var lowerHalf = new int[21];
        for (var n = 0; n < 4096; n++)
        {
            var point = sequence.Point(n);
            Assert.All(point, x => Assert.InRange(x, 0.0, 1.0 - 1e-12));
            Assert.True(seen.Add(string.Join(",", point)), $"point {n} repeats an earlier one");
            for (var d = 0; d < point.Length; d++)
            {
                lowerHalf[d] += point[d] < 0.5 ? 1 : 0;
            }
        }

        // A (t, m, s)-net puts exactly half of every 2^m block in each half of each axis, scrambled or not.
        Assert.All(lowerHalf, count => Assert.Equal(2048, count));
    }

    [Fact]
    public void Scrambling_is_deterministic_in_the_seed_and_differs_between_seeds()
    {
        Assert.Equal(new SobolSequence(5, 7).Point(100), new SobolSequence(5, 7).Point(100));
        Assert.NotEqual(new SobolSequence(5, 7).Point(100), new SobolSequence(5, 8).Point(100));
        Assert.NotEqual(new SobolSequence(5).Point(100), new SobolSequence(5, 7).Point(100));
    }

    [Fact]
    public void Unsupported_dimensions_and_indices_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(SobolSequence.MaxDimension + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(2).Point(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(2).Point(1L << 32));
    }
}
