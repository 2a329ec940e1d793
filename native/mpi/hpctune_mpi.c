#include "hpctune_mpi.h"

#include <mpi.h>
#include <string.h>

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
    return finalized ? MPI_SUCCESS : MPI_Finalize();
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
    return MPI_Send(data, length, MPI_BYTE, destination, tag, MPI_COMM_WORLD);
}

int32_t hpctune_mpi_iprobe(int32_t source, int32_t tag, int32_t *found, int32_t *actual_source, int32_t *actual_tag,
                           int32_t *length)
{
    MPI_Status status;
    int flag = 0, count = 0;
    int rc = MPI_Iprobe(source_of(source), tag_of(tag), MPI_COMM_WORLD, &flag, &status);
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
