using System.Numerics.Tensors;

namespace HpcTune.Gp.LinearAlgebra;

/// <summary>
/// Row-major dense kernels in C#: dot products and AXPYs over contiguous rows go through
/// <see cref="TensorPrimitives"/> (Vector512/256 with a scalar tail).
/// </summary>
internal sealed class ManagedLinearAlgebra : ILinearAlgebra
{
    /// <summary>The shared instance (stateless).</summary>
    public static ManagedLinearAlgebra Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "managed";

    /// <inheritdoc/>
    public void Cholesky(Span<double> a, int n, int lda)
    {
        MatrixShape.Check(a.Length, n, n, lda);
        for (var j = 0; j < n; j++)
        {
            var rowJ = a.Slice(j * lda, j);
            var pivot = a[(j * lda) + j] - TensorPrimitives.Dot(rowJ, rowJ);
            if (!(pivot > 0) || !double.IsFinite(pivot))
            {
                throw new NotPositiveDefiniteException(j, pivot);
            }

            var diagonal = Math.Sqrt(pivot);
            a[(j * lda) + j] = diagonal;
            var inverse = 1.0 / diagonal;
            for (var i = j + 1; i < n; i++)
            {
                var rowI = a.Slice(i * lda, j);
                a[(i * lda) + j] = (a[(i * lda) + j] - TensorPrimitives.Dot(rowI, rowJ)) * inverse;
            }
        }
    }

    /// <inheritdoc/>
    public void SolveLower(ReadOnlySpan<double> l, int n, int ldl, Span<double> b, int m, int ldb)
    {
        MatrixShape.Check(l.Length, n, n, ldl);
        MatrixShape.Check(b.Length, n, m, ldb);
        if (m == 1 && ldb == 1)
        {
            // One right-hand side: x_i = (b_i − L[i, :i]·x[:i]) / L[i, i], a contiguous dot product per row.
            for (var i = 0; i < n; i++)
            {
                b[i] = (b[i] - TensorPrimitives.Dot(l.Slice(i * ldl, i), b[..i])) / l[(i * ldl) + i];
            }

            return;
        }

        for (var i = 0; i < n; i++)
        {
            var rowI = b.Slice(i * ldb, m);
            for (var k = 0; k < i; k++)
            {
                var lik = l[(i * ldl) + k];
                if (lik != 0)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(k * ldb, m), -lik, rowI, rowI);
                }
            }

            TensorPrimitives.Multiply(rowI, 1.0 / l[(i * ldl) + i], rowI);
        }
    }

    /// <inheritdoc/>
    public void SolveLowerTransposed(ReadOnlySpan<double> l, int n, int ldl, Span<double> b)
    {
        MatrixShape.Check(l.Length, n, n, ldl);
        if (b.Length < n)
        {
            throw new ArgumentException($"b has {b.Length} elements, need {n}", nameof(b));
        }

        // Lᵀ x = b, backwards: x_i = (b_i - Σ_{k>i} L[k,i] x_k) / L[i,i]; done as column updates to stay row-major.
        for (var i = n - 1; i >= 0; i--)
        {
            var xi = b[i] / l[(i * ldl) + i];
            b[i] = xi;
            var row = l.Slice(i * ldl, i);
            TensorPrimitives.MultiplyAdd(row, -xi, b[..i], b[..i]);
        }
    }

    /// <inheritdoc/>
    public void CholeskySolve(ReadOnlySpan<double> l, int n, int ldl, Span<double> b, int m, int ldb)
    {
        SolveLower(l, n, ldl, b, m, ldb);
        MatrixShape.Check(b.Length, n, m, ldb);

        // Lᵀ X = Y backwards, row by row: X_i = (Y_i − Σ_{k>i} L[k, i] X_k) / L[i, i], as row AXPYs.
        for (var i = n - 1; i >= 0; i--)
        {
            var rowI = b.Slice(i * ldb, m);
            TensorPrimitives.Multiply(rowI, 1.0 / l[(i * ldl) + i], rowI);
            for (var k = 0; k < i; k++)
            {
                var lik = l[(i * ldl) + k];
                if (lik != 0)
                {
                    var rowK = b.Slice(k * ldb, m);
                    TensorPrimitives.MultiplyAdd(rowI, -lik, rowK, rowK);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Gemm(int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        MatrixShape.Check(a.Length, m, k, lda);
        MatrixShape.Check(b.Length, k, n, ldb);
        MatrixShape.Check(c.Length, m, n, ldc);
        for (var i = 0; i < m; i++)
        {
            var rowC = c.Slice(i * ldc, n);
            if (beta == 0)
            {
                rowC.Clear(); // BLAS semantics: β = 0 ignores what C held, NaN included
            }
            else if (beta != 1)
            {
                TensorPrimitives.Multiply(rowC, beta, rowC);
            }

            for (var p = 0; p < k; p++)
            {
                var aip = alpha * a[(i * lda) + p];
                if (aip != 0)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, rowC, rowC);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Gemv(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        MatrixShape.Check(a.Length, m, n, lda);
        if (x.Length < n || y.Length < m)
        {
            throw new ArgumentException($"x needs {n} and y {m} elements, got {x.Length} and {y.Length}");
        }

        for (var i = 0; i < m; i++)
        {
            var dot = TensorPrimitives.Dot(a.Slice(i * lda, n), x[..n]);
            y[i] = (beta == 0 ? 0 : beta * y[i]) + (alpha * dot);
        }
    }

    /// <inheritdoc/>
    public void SyrkLower(int n, int k, double alpha, ReadOnlySpan<double> a, int lda, double beta, Span<double> c, int ldc)
    {
        MatrixShape.Check(a.Length, n, k, lda);
        MatrixShape.Check(c.Length, n, n, ldc);
        for (var i = 0; i < n; i++)
        {
            var rowA = a.Slice(i * lda, k);
            for (var j = 0; j <= i; j++)
            {
                var dot = TensorPrimitives.Dot(rowA, a.Slice(j * lda, k));
                var index = (i * ldc) + j;
                c[index] = (beta == 0 ? 0 : beta * c[index]) + (alpha * dot);
            }
        }
    }
}
