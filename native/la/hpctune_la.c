/* Row-major calls mapped onto column-major Fortran BLAS/LAPACK: a row-major matrix is the column-major
 * transpose, so a row-major lower triangle is a column-major upper one and the sides of solves swap. */
#include "hpctune_la.h"

#include <stddef.h>

#ifdef HPCTUNE_BLAS_ILP64
typedef int64_t blas_int;
#define BLAS_INT_MAX INT64_MAX
#else
typedef int32_t blas_int;
#define BLAS_INT_MAX INT32_MAX
#endif

extern void dpotrf_(const char *uplo, const blas_int *n, double *a, const blas_int *lda, blas_int *info);
extern void dtrsm_(const char *side, const char *uplo, const char *transa, const char *diag, const blas_int *m,
                   const blas_int *n, const double *alpha, const double *a, const blas_int *lda, double *b,
                   const blas_int *ldb);
extern void dtrsv_(const char *uplo, const char *trans, const char *diag, const blas_int *n, const double *a,
                   const blas_int *lda, double *x, const blas_int *incx);
extern void dgemm_(const char *transa, const char *transb, const blas_int *m, const blas_int *n, const blas_int *k,
                   const double *alpha, const double *a, const blas_int *lda, const double *b, const blas_int *ldb,
                   const double *beta, double *c, const blas_int *ldc);
extern void dgemv_(const char *trans, const blas_int *m, const blas_int *n, const double *alpha, const double *a,
                   const blas_int *lda, const double *x, const blas_int *incx, const double *beta, double *y,
                   const blas_int *incy);
extern void dsyrk_(const char *uplo, const char *trans, const blas_int *n, const blas_int *k, const double *alpha,
                   const double *a, const blas_int *lda, const double *beta, double *c, const blas_int *ldc);

/* Optional thread controls: present in OpenBLAS or MKL, absent elsewhere (weak, so linking never fails). */
extern void openblas_set_num_threads(int) __attribute__((weak));
extern int openblas_get_num_threads(void) __attribute__((weak));
extern char *openblas_get_config(void) __attribute__((weak));
extern void MKL_Set_Num_Threads(int) __attribute__((weak));
extern int MKL_Get_Max_Threads(void) __attribute__((weak));

static int fits(int64_t v) { return v >= 0 && v <= BLAS_INT_MAX; }

int32_t hpctune_la_version(void) { return HPCTUNE_LA_VERSION; }

const char *hpctune_la_vendor(void)
{
    if (openblas_get_config) return openblas_get_config();
    if (MKL_Get_Max_Threads) return "Intel MKL";
    return "reference BLAS/LAPACK";
}

int32_t hpctune_la_set_threads(int32_t threads)
{
    if (threads < 1) return HPCTUNE_LA_BAD_ARGUMENT;
    if (openblas_set_num_threads) {
        openblas_set_num_threads(threads);
        return openblas_get_num_threads ? openblas_get_num_threads() : threads;
    }
    if (MKL_Set_Num_Threads) {
        MKL_Set_Num_Threads(threads);
        return MKL_Get_Max_Threads ? MKL_Get_Max_Threads() : threads;
    }
    return -1;
}

int32_t hpctune_la_cholesky(double *a, int64_t n, int64_t lda)
{
    if (n == 0) return HPCTUNE_LA_OK;
    if (!a || n < 0 || lda < n) return HPCTUNE_LA_BAD_ARGUMENT;
    if (!fits(n) || !fits(lda)) return HPCTUNE_LA_TOO_LARGE;
    blas_int bn = (blas_int)n, blda = (blas_int)lda, info = 0;
    dpotrf_("U", &bn, a, &blda, &info);
    if (info < 0) return HPCTUNE_LA_LAPACK_ERROR;
    if (info > 0) return (int32_t)info;
    /* LAPACK lets NaN through (every comparison with it is false); a NaN pivot is not positive definite either. */
    for (int64_t i = 0; i < n; i++) {
        double d = a[i * lda + i];
        if (!(d > 0) || d != d || d - d != 0) return (int32_t)(i + 1);
    }
    return HPCTUNE_LA_OK;
}

int32_t hpctune_la_solve_lower(const double *l, int64_t n, int64_t ldl, double *b, int64_t m, int64_t ldb)
{
    if (n == 0 || m == 0) return HPCTUNE_LA_OK;
    if (n < 0 || m < 0 || ldl < n || ldb < m) return HPCTUNE_LA_BAD_ARGUMENT;
    if (!fits(n) || !fits(m) || !fits(ldl) || !fits(ldb)) return HPCTUNE_LA_TOO_LARGE;
    blas_int bn = (blas_int)n, bm = (blas_int)m, bldl = (blas_int)ldl, bldb = (blas_int)ldb, one = 1;
    const double alpha = 1.0;
    if (m == 1 && ldb == 1) {
        dtrsv_("U", "T", "N", &bn, l, &bldl, b, &one); /* (column-major U)ᵀ = L */
        return HPCTUNE_LA_OK;
    }
    /* L X = B  ⇔  Xᵀ Lᵀ = Bᵀ; column-major Bᵀ is m×n, and column-major Lᵀ is the upper U. */
    dtrsm_("R", "U", "N", "N", &bm, &bn, &alpha, l, &bldl, b, &bldb);
    return HPCTUNE_LA_OK;
}

int32_t hpctune_la_solve_lower_transposed(const double *l, int64_t n, int64_t ldl, double *b)
{
    if (n == 0) return HPCTUNE_LA_OK;
    if (n < 0 || ldl < n) return HPCTUNE_LA_BAD_ARGUMENT;
    if (!fits(n) || !fits(ldl)) return HPCTUNE_LA_TOO_LARGE;
    blas_int bn = (blas_int)n, bldl = (blas_int)ldl, one = 1;
    dtrsv_("U", "N", "N", &bn, l, &bldl, b, &one);
    return HPCTUNE_LA_OK;
}

int32_t hpctune_la_cholesky_solve(const double *l, int64_t n, int64_t ldl, double *b, int64_t m, int64_t ldb)
{
    int32_t status = hpctune_la_solve_lower(l, n, ldl, b, m, ldb);
    if (status != HPCTUNE_LA_OK || n == 0 || m == 0) return status;
    blas_int bn = (blas_int)n, bm = (blas_int)m, bldl = (blas_int)ldl, bldb = (blas_int)ldb;
    const double alpha = 1.0;
    /* Lᵀ X = Y  ⇔  Xᵀ L = Yᵀ; column-major L is Uᵀ. */
    dtrsm_("R", "U", "T", "N", &bm, &bn, &alpha, l, &bldl, b, &bldb);
    return HPCTUNE_LA_OK;
}

int32_t hpctune_la_gemm(int64_t m, int64_t n, int64_t k, double alpha, const double *a, int64_t lda,
                        const double *b, int64_t ldb, double beta, double *c, int64_t ldc)
{
    if (m == 0 || n == 0) return HPCTUNE_LA_OK;
    if (m < 0 || n < 0 || k < 0 || lda < (k > 1 ? k : 1) || ldb < n || ldc < n) return HPCTUNE_LA_BAD_ARGUMENT;
    if (!fits(m) || !fits(n) || !fits(k) || !fits(lda) || !fits(ldb) || !fits(ldc)) return HPCTUNE_LA_TOO_LARGE;
    blas_int bm = (blas_int)m, bn = (blas_int)n, bk = (blas_int)k, blda = (blas_int)lda, bldb = (blas_int)ldb,
             bldc = (blas_int)ldc;
    /* Row-major C = A B  ⇔  column-major Cᵀ = Bᵀ Aᵀ. */
    dgemm_("N", "N", &bn, &bm, &bk, &alpha, b, &bldb, a, &blda, &beta, c, &bldc);
    return HPCTUNE_LA_OK;
}

int32_t hpctune_la_gemv(int64_t m, int64_t n, double alpha, const double *a, int64_t lda, const double *x,
                        double beta, double *y)
{
    if (m == 0) return HPCTUNE_LA_OK;
    if (m < 0 || n < 0 || lda < (n > 1 ? n : 1)) return HPCTUNE_LA_BAD_ARGUMENT;
    if (!fits(m) || !fits(n) || !fits(lda)) return HPCTUNE_LA_TOO_LARGE;
    blas_int bm = (blas_int)m, bn = (blas_int)n, blda = (blas_int)lda, one = 1;
    /* Column-major view of row-major A is Aᵀ (n×m). */
    dgemv_("T", &bn, &bm, &alpha, a, &blda, x, &one, &beta, y, &one);
    return HPCTUNE_LA_OK;
}

int32_t hpctune_la_syrk_lower(int64_t n, int64_t k, double alpha, const double *a, int64_t lda, double beta,
                              double *c, int64_t ldc)
{
    if (n == 0) return HPCTUNE_LA_OK;
    if (n < 0 || k < 0 || lda < (k > 1 ? k : 1) || ldc < n) return HPCTUNE_LA_BAD_ARGUMENT;
    if (!fits(n) || !fits(k) || !fits(lda) || !fits(ldc)) return HPCTUNE_LA_TOO_LARGE;
    blas_int bn = (blas_int)n, bk = (blas_int)k, blda = (blas_int)lda, bldc = (blas_int)ldc;
    /* Column-major view of A is Aᵀ (k×n): C = (Aᵀ)ᵀ Aᵀ; a row-major lower triangle is a column-major upper one. */
    dsyrk_("U", "T", &bn, &bk, &alpha, a, &blda, &beta, c, &bldc);
    return HPCTUNE_LA_OK;
}
