/* HpcTune's MPI shim: byte messages with tags between ranks of MPI_COMM_WORLD. MPI constants and handles never
 * leave this file (they differ between OpenMPI and MPICH); every call returns 0 or an MPI error code. */
#ifndef HPCTUNE_MPI_H
#define HPCTUNE_MPI_H

#include <stdint.h>

#define HPCTUNE_MPI_VERSION 2
#define HPCTUNE_MPI_ANY (-1) /* any source or any tag */

int32_t hpctune_mpi_version(void);
/* MPI_Init_thread with MPI_THREAD_FUNNELED; *provided gets the level granted (0 single ... 3 multiple). */
int32_t hpctune_mpi_init(int32_t *provided);
/* Waits up to 10 s for the sends still in flight (hpctune_mpi_send), then MPI_Finalize. */
int32_t hpctune_mpi_finalize(void);
int32_t hpctune_mpi_rank(int32_t *rank);
int32_t hpctune_mpi_size(int32_t *size);
int32_t hpctune_mpi_processor_name(char *buffer, int32_t capacity, int32_t *length);
/* Returns at once: the bytes are copied and sent with MPI_Isend. A blocking MPI_Send of a message that misses the
 * shared-memory fast path (OpenMPI's vader: about 1 KB, or a full fast box) waits until the receiver next polls, and a
 * worker polls every few milliseconds; the master must not wait on every rank in turn. Sends in flight move along
 * and are freed in every hpctune_mpi_iprobe and hpctune_mpi_flush. */
int32_t hpctune_mpi_send(const uint8_t *data, int32_t length, int32_t destination, int32_t tag);
/* Waits up to timeout_ms (sleeping 1 ms between looks) for the sends in flight; *remaining gets how many are left. */
int32_t hpctune_mpi_flush(int32_t timeout_ms, int32_t *remaining);
/* Non-blocking probe: *found = 1 and the message's source, tag and length when one is waiting. */
int32_t hpctune_mpi_iprobe(int32_t source, int32_t tag, int32_t *found, int32_t *actual_source, int32_t *actual_tag,
                           int32_t *length);
int32_t hpctune_mpi_recv(uint8_t *buffer, int32_t capacity, int32_t source, int32_t tag, int32_t *length);
int32_t hpctune_mpi_abort(int32_t code);

#endif
