namespace HpcTune.Gp.LinearAlgebra;

/// <summary>
/// The dense linear algebra the GP needs, on row-major matrices with a leading dimension (row stride).
/// A managed implementation always works; native ones (BLAS/LAPACK) are chosen at run time. Callers never know which.
/// </summary>
public interface ILinearAlgebra
{
    /// <summary>Name for logs ("managed", "native (OpenBLAS)").</summary>
    string Name { get; }

    /// <summary>
    /// Overwrites the lower triangle of the symmetric positive-definite <paramref name="n"/>×<paramref name="n"/>
    /// matrix <paramref name="a"/> (row stride <paramref name="lda"/>) with its Cholesky factor L (A = L Lᵀ).
    /// The strict upper triangle is not read or written.
    /// </summary>
    /// <exception cref="NotPositiveDefiniteException">A pivot is not positive (the matrix is not positive definite).</exception>
    void Cholesky(Span<double> a, int n, int lda);

    /// <summary>
    /// Solves L X = B in place for <paramref name="m"/> right-hand sides: <paramref name="b"/> is n×m row-major
    /// (row stride <paramref name="ldb"/>), L the lower factor (stride <paramref name="ldl"/>).
    /// </summary>
    void SolveLower(ReadOnlySpan<double> l, int n, int ldl, Span<double> b, int m, int ldb);

    /// <summary>Solves Lᵀ x = b in place for one right-hand side.</summary>
    void SolveLowerTransposed(ReadOnlySpan<double> l, int n, int ldl, Span<double> b);

    /// <summary>Solves (L Lᵀ) X = B in place (LAPACK's potrs) for the n×m row-major B.</summary>
    void CholeskySolve(ReadOnlySpan<double> l, int n, int ldl, Span<double> b, int m, int ldb);

    /// <summary>C = αAB + βC, row-major: A m×k, B k×n, C m×n.</summary>
    void Gemm(int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc);

    /// <summary>y = αAx + βy with A m×n row-major.</summary>
    void Gemv(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y);

    /// <summary>The lower triangle of C = αAAᵀ + βC, A n×k row-major; the strict upper triangle is not touched.</summary>
    void SyrkLower(int n, int k, double alpha, ReadOnlySpan<double> a, int lda, double beta, Span<double> c, int ldc);
}
