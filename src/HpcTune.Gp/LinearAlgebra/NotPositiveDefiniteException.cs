namespace HpcTune.Gp.LinearAlgebra;

/// <summary>A Cholesky factorization met a non-positive pivot: the matrix is not (numerically) positive definite.</summary>
internal sealed class NotPositiveDefiniteException : Exception
{
    /// <summary>Creates the exception for pivot <paramref name="pivot"/> (0-based).</summary>
    public NotPositiveDefiniteException(int pivot, double value)
        : base($"the matrix is not positive definite: pivot {pivot} is {value:G4}; add jitter or check for duplicate points")
    {
        Pivot = pivot;
    }

    /// <summary>The failing pivot's row (0-based).</summary>
    public int Pivot { get; }
}
