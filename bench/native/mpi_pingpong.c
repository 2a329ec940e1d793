/* Raw MPI baseline for bench/mpi-dispatch.sh: rank 0 sends a small message to each other rank in turn and waits
 * for its reply, the pattern of HpcTune's master handing out suggestions, with plain blocking MPI calls.
 * Usage: mpiexec -n N mpi_pingpong [ROUNDS] [BYTES]; prints round trips per second and microseconds per round trip. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long rounds = argc > 1 ? atol(argv[1]) : 5000;
    int bytes = argc > 2 ? atoi(argv[2]) : 200; /* about the size of a suggestion or a result */
    if (size < 2 || rounds < 1 || bytes < 1) {
        if (rank == 0) fprintf(stderr, "mpi_pingpong: need 2+ ranks, ROUNDS >= 1, BYTES >= 1\n");
        MPI_Finalize();
        return 2;
    }
    char *buffer = calloc((size_t)bytes, 1);
    if (rank == 0) {
        double start = MPI_Wtime();
        for (long i = 0; i < rounds; i++) {
            int peer = 1 + (int)(i % (size - 1));
            MPI_Send(buffer, bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
            MPI_Recv(buffer, bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        double seconds = MPI_Wtime() - start;
        for (int peer = 1; peer < size; peer++) MPI_Send(buffer, 0, MPI_BYTE, peer, 2, MPI_COMM_WORLD);
        printf("raw MPI ping-pong: %d ranks, %ld round trips of %d bytes in %.3f s: %.0f round trips/s, %.1f us each\n",
               size, rounds, bytes, seconds, rounds / seconds, 1e6 * seconds / rounds);
    } else {
        for (;;) {
            MPI_Status status;
            MPI_Recv(buffer, bytes, MPI_BYTE, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
            if (status.MPI_TAG == 2) break;
            MPI_Send(buffer, bytes, MPI_BYTE, 0, 1, MPI_COMM_WORLD);
        }
    }
    free(buffer);
    MPI_Finalize();
    return 0;
}
