// The MPI process environment shared by the MPI/NCCL communicators and the task farm: one MPI_Init_thread
// per process (finalized at exit), launch detection, host/local rank, and the world split into job groups.
#pragma once
#include <string>

#ifdef HAVE_MPI
#include <mpi.h>
#endif

namespace bgm {

// True when the environment says this process is one of several started by mpirun or srun
// (OMPI_COMM_WORLD_SIZE>1, PMI_SIZE>1, PMIX_RANK set, SLURM_NTASKS>1). Reads only the environment.
bool launched_with_several_ranks();

std::string host_name();

// How `--ranks-per-job k` cuts the world: groups of k consecutive world ranks.
struct GroupLayout {
  int world_rank = 0;
  int world_size = 1;
  int ranks_per_group = 1;
  int group_index = 0;   // world_rank / ranks_per_group
  int group_count = 1;   // world_size / ranks_per_group
  int group_rank = 0;    // world_rank % ranks_per_group
};

#ifdef HAVE_MPI
// MPI_Init_thread(MPI_THREAD_MULTIPLE) on first use; MPI_Finalize runs at process exit.
void ensure_mpi_initialized();
int mpi_thread_level();  // what MPI_Init_thread provided

// Throws bgm::Error "<call> failed: <code> (<MPI error string>)" when rc != MPI_SUCCESS.
void check_mpi(int rc, const char* call);

// ranks_per_job 0 means the whole world is one group. Throws bgm::Error naming --ranks-per-job when the
// world size is not a multiple of it.
GroupLayout group_layout(int ranks_per_job);
// A communicator per group (MPI_Comm_split, created once per k and kept until exit); errors return codes.
MPI_Comm group_comm(int ranks_per_job);

// Node-local rank: OMPI_COMM_WORLD_LOCAL_RANK, else SLURM_LOCALID, else the rank in
// MPI_Comm_split_type(MPI_COMM_TYPE_SHARED).
int local_rank();

// Prints "bgm: rank R (host H) aborting: REASON" on stderr and calls MPI_Abort(MPI_COMM_WORLD, exit_code).
[[noreturn]] void abort_world(const std::string& reason, int exit_code);
#endif

}  // namespace bgm
