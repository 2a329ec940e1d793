using System.Runtime.InteropServices;

namespace HpcTune.Gp.LinearAlgebra;

/// <summary>
/// <see cref="ILinearAlgebra"/> through libhpctune_la (OpenBLAS here, MKL where CMake linked it). Spans are pinned
/// for the call; C status codes become the same exceptions the managed provider throws.
/// Create it with <see cref="TryCreate"/>, which loads the library and checks its version first.
/// </summary>
internal sealed unsafe class NativeLinearAlgebra : ILinearAlgebra
{
    private NativeLinearAlgebra(string vendor)
    {
        Vendor = vendor;
    }

    /// <summary>The BLAS/LAPACK build the library reports.</summary>
    public string Vendor { get; }

    /// <inheritdoc/>
    public string Name => $"native ({Vendor})";

    /// <summary>The native provider, or null with <paramref name="reason"/> saying why it cannot be used.</summary>
    public static NativeLinearAlgebra? TryCreate(out string reason)
    {
        HpcTune.Native.NativeLibraries.Register(typeof(NativeLinearAlgebra).Assembly, NativeMethods.Library, "libhpctune_la.so");
        try
        {
            var version = NativeMethods.Version();
            if (version != NativeMethods.ExpectedVersion)
            {
                reason = $"libhpctune_la reports interface version {version}, this HpcTune needs {NativeMethods.ExpectedVersion}; rebuild native/ (bash .ci/build)";
                return null;
            }

            var vendor = Marshal.PtrToStringUTF8(NativeMethods.Vendor()) ?? "unknown";
            reason = "libhpctune_la loaded";
            return new NativeLinearAlgebra(vendor.Trim());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            reason = $"libhpctune_la could not be loaded ({e.Message.Split('\n')[0]}); looked in {string.Join(", ", HpcTune.Native.NativeLibraries.Tried(NativeMethods.Library))}";
            return null;
        }
    }

    /// <summary>Sets the BLAS thread count; returns the count in force (or −1 when the BLAS has no control).</summary>
#pragma warning disable CA1822 // an instance method on purpose: only a provider that loaded may touch the library
    public int SetThreads(int threads)
#pragma warning restore CA1822
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return NativeMethods.SetThreads(threads);
    }

    /// <inheritdoc/>
    public void Cholesky(Span<double> a, int n, int lda)
    {
        MatrixShape.Check(a.Length, n, n, lda);
        int status;
        fixed (double* pa = a)
        {
            status = NativeMethods.Cholesky(pa, n, lda);
        }

        if (status > 0)
        {
            var pivot = status - 1;
            throw new NotPositiveDefiniteException(pivot, a[(pivot * lda) + pivot]);
        }

        ThrowOnError(status, "Cholesky");
    }

    /// <inheritdoc/>
    public void SolveLower(ReadOnlySpan<double> l, int n, int ldl, Span<double> b, int m, int ldb)
    {
        MatrixShape.Check(l.Length, n, n, ldl);
        MatrixShape.Check(b.Length, n, m, ldb);
        fixed (double* pl = l)
        fixed (double* pb = b)
        {
            ThrowOnError(NativeMethods.SolveLower(pl, n, ldl, pb, m, ldb), "SolveLower");
        }
    }

    /// <inheritdoc/>
    public void SolveLowerTransposed(ReadOnlySpan<double> l, int n, int ldl, Span<double> b)
    {
        MatrixShape.Check(l.Length, n, n, ldl);
        MatrixShape.Check(b.Length, n, 1, 1);
        fixed (double* pl = l)
        fixed (double* pb = b)
        {
            ThrowOnError(NativeMethods.SolveLowerTransposed(pl, n, ldl, pb), "SolveLowerTransposed");
        }
    }

    /// <inheritdoc/>
    public void CholeskySolve(ReadOnlySpan<double> l, int n, int ldl, Span<double> b, int m, int ldb)
    {
        MatrixShape.Check(l.Length, n, n, ldl);
        MatrixShape.Check(b.Length, n, m, ldb);
        fixed (double* pl = l)
        fixed (double* pb = b)
        {
            ThrowOnError(NativeMethods.CholeskySolve(pl, n, ldl, pb, m, ldb), "CholeskySolve");
        }
    }

    /// <inheritdoc/>
    public void Gemm(int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        MatrixShape.Check(a.Length, m, k, lda);
        MatrixShape.Check(b.Length, k, n, ldb);
        MatrixShape.Check(c.Length, m, n, ldc);
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            ThrowOnError(NativeMethods.Gemm(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc), "Gemm");
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

        fixed (double* pa = a)
        fixed (double* px = x)
        fixed (double* py = y)
        {
            ThrowOnError(NativeMethods.Gemv(m, n, alpha, pa, lda, px, beta, py), "Gemv");
        }
    }

    /// <inheritdoc/>
    public void SyrkLower(int n, int k, double alpha, ReadOnlySpan<double> a, int lda, double beta, Span<double> c, int ldc)
    {
        MatrixShape.Check(a.Length, n, k, lda);
        MatrixShape.Check(c.Length, n, n, ldc);
        fixed (double* pa = a)
        fixed (double* pc = c)
        {
            ThrowOnError(NativeMethods.SyrkLower(n, k, alpha, pa, lda, beta, pc, ldc), "SyrkLower");
        }
    }

    private static void ThrowOnError(int status, string call)
    {
        switch (status)
        {
            case 0:
                return;
            case -1:
                throw new ArgumentException($"libhpctune_la {call}: a size or stride is invalid");
            case -2:
                throw new ArgumentException($"libhpctune_la {call}: a size exceeds the BLAS integer width (build with an ILP64 BLAS)");
            default:
                throw new InvalidOperationException($"libhpctune_la {call} failed with status {status}");
        }
    }
}
