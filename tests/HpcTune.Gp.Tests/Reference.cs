using HpcTune.Gp.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace HpcTune.Gp.Tests;

/// <summary>Textbook formulas with MathNet's dense matrices, to check the fast code against.</summary>
internal static class Reference
{
    public static Matrix<double> Kernel(double[][] a, double[][] b, double[] lengthscales, double variance) =>
        Matrix<double>.Build.Dense(a.Length, b.Length, (i, j) =>
            Matern52.Value(a[i].Select((v, d) => Math.Pow((v - b[j][d]) / lengthscales[d], 2)).Sum(), variance));

    public static (double Mean, double Variance) Posterior(double[][] x, double[] y, double[] point, double[] lengthscales, double variance, double noise)
    {
        var k = Kernel(x, x, lengthscales, variance) + (noise * Matrix<double>.Build.DenseIdentity(x.Length));
        var kStar = Kernel([point], x, lengthscales, variance).Row(0);
        var inverse = k.Inverse();
        return (kStar * inverse * Vector<double>.Build.Dense(y), variance - (kStar * inverse * kStar));
    }

    public static double LogMarginalLikelihood(double[][] x, double[] y, double[] lengthscales, double variance, double noise)
    {
        var k = Kernel(x, x, lengthscales, variance) + (noise * Matrix<double>.Build.DenseIdentity(x.Length));
        var yv = Vector<double>.Build.Dense(y);
        var cholesky = k.Cholesky();
        return (-0.5 * (yv * cholesky.Solve(yv))) - (0.5 * cholesky.DeterminantLn) - (0.5 * x.Length * Math.Log(2 * Math.PI));
    }

    public static double[][] RandomPoints(Random random, int n, int d) =>
        [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray())];

    public static double[] Flatten(double[][] rows) => [.. rows.SelectMany(r => r)];

    public static double[] SpdMatrix(Random random, int n, int stride)
    {
        var b = Matrix<double>.Build.Dense(n, n, (_, _) => random.NextDouble() - 0.5);
        var a = (b * b.Transpose()) + (n * Matrix<double>.Build.DenseIdentity(n));
        var result = new double[Math.Max(1, n * stride)];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                result[(i * stride) + j] = a[i, j];
            }
        }

        return result;
    }
}
