using System.Runtime.InteropServices;

namespace HpcTune.Gp.LinearAlgebra;

/// <summary>The C functions of libhpctune_la (native/la/hpctune_la.h). Only sizes, scalars and pointers cross.</summary>
internal static unsafe partial class NativeMethods
{
    public const string Library = "hpctune_la";
    public const int ExpectedVersion = 1;

    [LibraryImport(Library, EntryPoint = "hpctune_la_version")]
    public static partial int Version();

    [LibraryImport(Library, EntryPoint = "hpctune_la_vendor")]
    public static partial nint Vendor();

    [LibraryImport(Library, EntryPoint = "hpctune_la_set_threads")]
    public static partial int SetThreads(int threads);

    [LibraryImport(Library, EntryPoint = "hpctune_la_cholesky")]
    public static partial int Cholesky(double* a, long n, long lda);

    [LibraryImport(Library, EntryPoint = "hpctune_la_solve_lower")]
    public static partial int SolveLower(double* l, long n, long ldl, double* b, long m, long ldb);

    [LibraryImport(Library, EntryPoint = "hpctune_la_solve_lower_transposed")]
    public static partial int SolveLowerTransposed(double* l, long n, long ldl, double* b);

    [LibraryImport(Library, EntryPoint = "hpctune_la_cholesky_solve")]
    public static partial int CholeskySolve(double* l, long n, long ldl, double* b, long m, long ldb);

    [LibraryImport(Library, EntryPoint = "hpctune_la_gemm")]
    public static partial int Gemm(long m, long n, long k, double alpha, double* a, long lda, double* b, long ldb, double beta, double* c, long ldc);

    [LibraryImport(Library, EntryPoint = "hpctune_la_gemv")]
    public static partial int Gemv(long m, long n, double alpha, double* a, long lda, double* x, double beta, double* y);

    [LibraryImport(Library, EntryPoint = "hpctune_la_syrk_lower")]
    public static partial int SyrkLower(long n, long k, double alpha, double* a, long lda, double beta, double* c, long ldc);
}
