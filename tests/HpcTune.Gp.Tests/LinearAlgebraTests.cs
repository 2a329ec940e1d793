using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Gp.Tests;

/// <summary>The provider suite: every implementation of <see cref="ILinearAlgebra"/> must pass it (run once per provider).</summary>
public class LinearAlgebraTests
{
    public static TheoryData<int> Sizes => new() { 0, 1, 2, 3, 7, 8, 9, 16, 17, 31, 64, 65, 100 };

    /// <summary>The provider under test: the process default, which CI sets with HPCTUNE_LINALG=managed|native.</summary>
    private static readonly ILinearAlgebra Provider = LinearAlgebraProviders.Default;

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Cholesky_reproduces_the_matrix(int n)
    {
        var stride = n + 3; // a row stride wider than the matrix, as the GP's growing buffers have
        var a = Reference.SpdMatrix(new Random(n), n, stride);
        var l = (double[])a.Clone();
        Provider.Cholesky(l, n, stride);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = 0.0;
                for (var k = 0; k <= j; k++)
                {
                    sum += l[(i * stride) + k] * l[(j * stride) + k];
                }

                Assert.Equal(a[(i * stride) + j], sum, 1e-9 * n);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Triangular_solves_invert_the_factor(int n)
    {
        var random = new Random(100 + n);
        var l = Reference.SpdMatrix(random, n, n);
        Provider.Cholesky(l, n, n);
        const int m = 5;
        var b = Enumerable.Range(0, n * m).Select(_ => random.NextDouble()).ToArray();
        var x = (double[])b.Clone();
        Provider.SolveLower(l, n, n, x, m, m);
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < m; c++)
            {
                var sum = 0.0;
                for (var k = 0; k <= i; k++)
                {
                    sum += l[(i * n) + k] * x[(k * m) + c];
                }

                Assert.Equal(b[(i * m) + c], sum, 1e-10);
            }
        }

        var v = b.Take(n).ToArray();
        var y = (double[])v.Clone();
        Provider.SolveLowerTransposed(l, n, n, y);
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var k = i; k < n; k++)
            {
                sum += l[(k * n) + i] * y[k];
            }

            Assert.Equal(v[i], sum, 1e-10);
        }
    }

    [Fact]
    public void A_matrix_that_is_not_positive_definite_names_the_pivot()
    {
        double[] a = [4, 0, 2, 1]; // [[4, 2], [2, 1]]: singular
        var e = Assert.Throws<NotPositiveDefiniteException>(() => Provider.Cholesky(a, 2, 2));
        Assert.Equal(1, e.Pivot);
        Assert.Throws<NotPositiveDefiniteException>(() => Provider.Cholesky(new double[] { double.NaN }, 1, 1));
    }
}
