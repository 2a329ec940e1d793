/* HpcTune's native linear algebra: a thin, status-returning layer over BLAS/LAPACK for row-major matrices.
 * Nothing here throws or aborts: every call returns HPCTUNE_LA_OK or a negative status (or, for Cholesky,
 * the 1-based failing pivot). Sizes are int64_t; they are checked against the BLAS integer width. */
#ifndef HPCTUNE_LA_H
#define HPCTUNE_LA_H

#include <stdint.h>

#define HPCTUNE_LA_VERSION 1
#define HPCTUNE_LA_OK 0
#define HPCTUNE_LA_BAD_ARGUMENT (-1)
#define HPCTUNE_LA_TOO_LARGE (-2)
#define HPCTUNE_LA_LAPACK_ERROR (-3)

int32_t hpctune_la_version(void);
/* The BLAS/LAPACK implementation linked in, e.g. "OpenBLAS 0.3.21 ...". */
const char *hpctune_la_vendor(void);
/* Sets the BLAS thread count where the implementation allows it; returns the count in force, or -1 if unknown. */
int32_t hpctune_la_set_threads(int32_t threads);

/* A = L Lᵀ in place: the lower triangle of the row-major n×n matrix a (row stride lda) becomes L.
 * Returns 0, a negative status, or k > 0 when the leading minor of order k is not positive definite. */
int32_t hpctune_la_cholesky(double *a, int64_t n, int64_t lda);
/* Solves L X = B in place; B is n×m row-major with row stride ldb. */
int32_t hpctune_la_solve_lower(const double *l, int64_t n, int64_t ldl, double *b, int64_t m, int64_t ldb);
/* Solves Lᵀ x = b in place for one vector. */
int32_t hpctune_la_solve_lower_transposed(const double *l, int64_t n, int64_t ldl, double *b);
/* Solves (L Lᵀ) X = B in place (potrs); B is n×m row-major. */
int32_t hpctune_la_cholesky_solve(const double *l, int64_t n, int64_t ldl, double *b, int64_t m, int64_t ldb);
/* C = alpha A B + beta C, all row-major: A m×k, B k×n, C m×n. */
int32_t hpctune_la_gemm(int64_t m, int64_t n, int64_t k, double alpha, const double *a, int64_t lda,
                        const double *b, int64_t ldb, double beta, double *c, int64_t ldc);
/* y = alpha A x + beta y; A m×n row-major. */
int32_t hpctune_la_gemv(int64_t m, int64_t n, double alpha, const double *a, int64_t lda, const double *x,
                        double beta, double *y);
/* Lower triangle of C = alpha A Aᵀ + beta C; A n×k row-major, C n×n row-major. */
int32_t hpctune_la_syrk_lower(int64_t n, int64_t k, double alpha, const double *a, int64_t lda, double beta,
                              double *c, int64_t ldc);

#endif
