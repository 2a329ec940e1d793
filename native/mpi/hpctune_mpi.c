#define _POSIX_C_SOURCE 200809L /* clock_gettime and nanosleep under -std=c11 (bench/mpich-check.sh) */
#include "hpctune_mpi.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Sends in flight: their requests, their copies of the bytes, and Testsome's index and status buffers, all of one
 * capacity (real statuses: GCC's -Wstringop-overflow rejects MPICH's MPI_STATUSES_IGNORE, a pointer to nothing). */
static MPI_Request *in_flight;
static uint8_t **in_flight_data;
static int *completed;
static MPI_Status *statuses;
static int in_flight_count, in_flight_capacity;

/* Frees the sends that have completed and closes the gaps they leave (MPI keeps order per destination anyway). */
static int32_t reap(void)
{
    if (in_flight_count == 0) return MPI_SUCCESS;
    int done = 0;
    int rc = MPI_Testsome(in_flight_count, in_flight, &done, completed, statuses);
    /* MPI_ERR_IN_STATUS: some sends failed, but every one reported done (failed or not) is finished with. */
    if ((rc != MPI_SUCCESS && rc != MPI_ERR_IN_STATUS) || done == MPI_UNDEFINED || done == 0) return rc;
    for (int i = 0; i < done; i++) {
        free(in_flight_data[completed[i]]);
        in_flight_data[completed[i]] = NULL;
    }
    int kept = 0;
    for (int i = 0; i < in_flight_count; i++) {
        if (in_flight_data[i] == NULL) continue;
        in_flight[kept] = in_flight[i];
        in_flight_data[kept] = in_flight_data[i];
        kept++;
    }
    in_flight_count = kept;
    return rc;
}

static int grow(void)
{
    int capacity = in_flight_capacity ? 2 * in_flight_capacity : 64;
    MPI_Request *requests = realloc(in_flight, (size_t)capacity * sizeof *requests);
    if (requests) in_flight = requests;
    uint8_t **data = realloc(in_flight_data, (size_t)capacity * sizeof *data);
    if (data) in_flight_data = data;
    int *indices = realloc(completed, (size_t)capacity * sizeof *indices);
    if (indices) completed = indices;
    MPI_Status *status = realloc(statuses, (size_t)capacity * sizeof *status);
    if (status) statuses = status;
    if (!requests || !data || !indices || !status) return 0;
    in_flight_capacity = capacity;
    return 1;
}

static int source_of(int32_t s) { return s == HPCTUNE_MPI_ANY ? MPI_ANY_SOURCE : s; }
static int tag_of(int32_t t) { return t == HPCTUNE_MPI_ANY ? MPI_ANY_TAG : t; }

int32_t hpctune_mpi_version(void) { return HPCTUNE_MPI_VERSION; }

int32_t hpctune_mpi_init(int32_t *provided)
{
    int initialized = 0, level = 0;
    MPI_Initialized(&initialized);
    if (initialized) {
        MPI_Query_thread(&level);
    } else {
        int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &level);
        if (rc != MPI_SUCCESS) return rc;
        /* Errors come back as codes instead of aborting the job, so the caller can say what went wrong. */
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    }
    if (provided) *provided = level == MPI_THREAD_SINGLE ? 0 : level == MPI_THREAD_FUNNELED ? 1
                              : level == MPI_THREAD_SERIALIZED ? 2 : 3;
    return MPI_SUCCESS;
}

int32_t hpctune_mpi_finalize(void)
{
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return MPI_SUCCESS;
    int32_t remaining = 0;
    hpctune_mpi_flush(10000, &remaining); /* a receiver that is gone must not hold this rank forever */
    return MPI_Finalize();
}

int32_t hpctune_mpi_rank(int32_t *rank)
{
    int r = 0, rc = MPI_Comm_rank(MPI_COMM_WORLD, &r);
    *rank = r;
    return rc;
}

int32_t hpctune_mpi_size(int32_t *size)
{
    int s = 0, rc = MPI_Comm_size(MPI_COMM_WORLD, &s);
    *size = s;
    return rc;
}

int32_t hpctune_mpi_processor_name(char *buffer, int32_t capacity, int32_t *length)
{
    char name[MPI_MAX_PROCESSOR_NAME];
    int n = 0, rc = MPI_Get_processor_name(name, &n);
    if (rc != MPI_SUCCESS) return rc;
    if (n > capacity) n = capacity;
    memcpy(buffer, name, (size_t)n);
    *length = n;
    return MPI_SUCCESS;
}

int32_t hpctune_mpi_send(const uint8_t *data, int32_t length, int32_t destination, int32_t tag)
{
    if (length < 0) return MPI_ERR_COUNT;
    if (in_flight_count == in_flight_capacity && !grow()) return MPI_ERR_NO_MEM;
    uint8_t *copy = malloc(length > 0 ? (size_t)length : 1);
    if (!copy) return MPI_ERR_NO_MEM;
    if (length > 0) memcpy(copy, data, (size_t)length);
    int rc = MPI_Isend(copy, length, MPI_BYTE, destination, tag, MPI_COMM_WORLD, &in_flight[in_flight_count]);
    if (rc != MPI_SUCCESS) {
        free(copy);
        return rc;
    }
    in_flight_data[in_flight_count++] = copy;
    reap(); /* an earlier send's failure is reported by the next probe, not as this send's: a retry would duplicate it */
    return MPI_SUCCESS;
}

int32_t hpctune_mpi_flush(int32_t timeout_ms, int32_t *remaining)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int32_t rc = reap();
    while (rc == MPI_SUCCESS && in_flight_count > 0) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >= timeout_ms) break;
        struct timespec millisecond = {0, 1000000};
        nanosleep(&millisecond, NULL);
        rc = reap();
    }
    if (remaining) *remaining = in_flight_count;
    return rc;
}

int32_t hpctune_mpi_iprobe(int32_t source, int32_t tag, int32_t *found, int32_t *actual_source, int32_t *actual_tag,
                           int32_t *length)
{
    MPI_Status status;
    int flag = 0, count = 0;
    int rc = reap();
    if (rc != MPI_SUCCESS) return rc;
    rc = MPI_Iprobe(source_of(source), tag_of(tag), MPI_COMM_WORLD, &flag, &status);
    if (rc != MPI_SUCCESS) return rc;
    *found = flag;
    if (flag) {
        MPI_Get_count(&status, MPI_BYTE, &count);
        *actual_source = status.MPI_SOURCE;
        *actual_tag = status.MPI_TAG;
        *length = count;
    }
    return MPI_SUCCESS;
}

int32_t hpctune_mpi_recv(uint8_t *buffer, int32_t capacity, int32_t source, int32_t tag, int32_t *length)
{
    MPI_Status status;
    int count = 0;
    int rc = MPI_Recv(buffer, capacity, MPI_BYTE, source_of(source), tag_of(tag), MPI_COMM_WORLD, &status);
    if (rc != MPI_SUCCESS) return rc;
    MPI_Get_count(&status, MPI_BYTE, &count);
    *length = count;
    return MPI_SUCCESS;
}

int32_t hpctune_mpi_abort(int32_t code) { return MPI_Abort(MPI_COMM_WORLD, code); }
