using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Gp.Tests;

/// <summary>
/// Every native call agrees with the managed one (relative 1e-10) and fails the same way. Skipped, with the
/// reason, where libhpctune_la is not built; CI builds it, and runs this project with HPCTUNE_LINALG=native so a
/// missing library fails there instead of skipping.
/// </summary>
public class NativeParityTests
{
    private static readonly (NativeLinearAlgebra? Provider, string Reason) Loaded = Load();
    private static readonly NativeLinearAlgebra? Native = Loaded.Provider;
    private static readonly string Why = Loaded.Reason;
    private static readonly ManagedLinearAlgebra Managed = ManagedLinearAlgebra.Instance;

    public static TheoryData<int> Sizes => new() { 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 33, 64, 100, 129, 257 };

    private static (NativeLinearAlgebra?, string) Load()
    {
        var provider = NativeLinearAlgebra.TryCreate(out var reason);
        return (provider, reason);
    }

    private static void RequireNative() => Assert.SkipWhen(Native is null, $"native linear algebra unavailable: {Why}");

    private static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = 0.0;
        foreach (var v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-10 * Math.Max(scale, 1e-300), $"element {i}: managed {expected[i]}, native {actual[i]}");
        }
    }

    private static double[] Random(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5)];

    private static double[] LowerOnly(double[] a, int n, int stride)
    {
        var result = new double[a.Length];
        for (var i = 0; i < n; i++)
        {
            a.AsSpan(i * stride, i + 1).CopyTo(result.AsSpan(i * stride, i + 1));
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Cholesky_and_the_solves_agree(int n)
    {
        RequireNative();
        var random = new Random(n);
        var stride = n + 2;
        var a = Reference.SpdMatrix(random, n, stride);
        var lm = (double[])a.Clone();
        var ln = (double[])a.Clone();
        Managed.Cholesky(lm, n, stride);
        Native!.Cholesky(ln, n, stride);
        Close(LowerOnly(lm, n, stride), LowerOnly(ln, n, stride));

        const int m = 7;
        var b = Random(random, n * (m + 1));
        foreach (var (rhs, ldb) in new[] { (m, m + 1), (1, 1) })
        {
            var xm = (double[])b.Clone();
            var xn = (double[])b.Clone();
            Managed.SolveLower(lm, n, stride, xm, rhs, ldb);
            Native.SolveLower(lm, n, stride, xn, rhs, ldb);
            Close(xm, xn);
            xm = (double[])b.Clone();
            xn = (double[])b.Clone();
            Managed.CholeskySolve(lm, n, stride, xm, rhs, ldb);
            Native.CholeskySolve(lm, n, stride, xn, rhs, ldb);
            Close(xm, xn);
        }

        var vm = b.Take(n).ToArray();
        var vn = (double[])vm.Clone();
        Managed.SolveLowerTransposed(lm, n, stride, vm);
        Native.SolveLowerTransposed(lm, n, stride, vn);
        Close(vm, vn);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Gemm_gemv_and_syrk_agree(int n)
    {
        RequireNative();
        var random = new Random(1000 + n);
        int m = n + 3, k = Math.Max(1, n / 2) + 1;
        var a = Random(random, m * (k + 1));
        var b = Random(random, k * (n + 2));
        var c = Random(random, m * (n + 1));
        var cm = (double[])c.Clone();
        var cn = (double[])c.Clone();
        Managed.Gemm(m, n, k, 1.5, a, k + 1, b, n + 2, -0.5, cm, n + 1);
        Native!.Gemm(m, n, k, 1.5, a, k + 1, b, n + 2, -0.5, cn, n + 1);
        Close(cm, cn);

        var x = Random(random, k);
        var y = Random(random, m);
        var ym = (double[])y.Clone();
        var yn = (double[])y.Clone();
        Managed.Gemv(m, k, 2.0, a, k + 1, x, 0.25, ym);
        Native.Gemv(m, k, 2.0, a, k + 1, x, 0.25, yn);
        Close(ym, yn);

        var s = Random(random, m * (m + 1));
        var sm = (double[])s.Clone();
        var sn = (double[])s.Clone();
        Managed.SyrkLower(m, k, 0.7, a, k + 1, 0.3, sm, m + 1);
        Native.SyrkLower(m, k, 0.7, a, k + 1, 0.3, sn, m + 1);
        Close(sm, sn); // the upper triangle is untouched by both
    }

    [Fact]
    public void A_matrix_that_is_not_positive_definite_fails_the_same_way()
    {
        RequireNative();
        double[] a = [4, 0, 0, 2, 1, 0, 0, 0, 1]; // leading 2×2 block [[4, 2], [2, 1]] is singular
        var managed = Assert.Throws<NotPositiveDefiniteException>(() => Managed.Cholesky((double[])a.Clone(), 3, 3));
        var native = Assert.Throws<NotPositiveDefiniteException>(() => Native!.Cholesky((double[])a.Clone(), 3, 3));
        Assert.Equal(managed.Pivot, native.Pivot);
    }

    [Fact]
    public void Bad_shapes_are_refused_the_same_way()
    {
        RequireNative();
        var small = new double[3];
        Assert.Throws<ArgumentException>(() => Managed.Cholesky(small, 2, 2));
        Assert.Throws<ArgumentException>(() => Native!.Cholesky(small, 2, 2));
        Assert.Throws<ArgumentException>(() => Managed.Gemm(2, 2, 2, 1, new double[4], 1, new double[4], 2, 0, new double[4], 2));
        Assert.Throws<ArgumentException>(() => Native!.Gemm(2, 2, 2, 1, new double[4], 1, new double[4], 2, 0, new double[4], 2));
    }

    [Fact]
    public void The_library_reports_its_vendor_and_takes_a_thread_count()
    {
        RequireNative();
        Assert.Contains("native", Native!.Name, StringComparison.Ordinal);
        Assert.Equal(1, Native.SetThreads(1));
        Assert.Equal(2, Native.SetThreads(2));
    }

    [Fact]
    public void Selection_by_name_is_checked()
    {
        var e = Assert.Throws<ArgumentException>(() => LinearAlgebraProviders.Select("mkl", null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Contains("unknown linear algebra 'mkl'", e.Message, StringComparison.Ordinal);
        Assert.Same(ManagedLinearAlgebra.Instance, LinearAlgebraProviders.Select("managed", null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }
}
