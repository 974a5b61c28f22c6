// MPI process environment: init once, finalize at exit, launch detection, groups, abort with rank and host.
#include "dist/mpi_runtime.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>

#include "core/error.h"

namespace bgm {

namespace {
int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return (end && *end == '\0') ? static_cast<int>(n) : fallback;
}
}  // namespace

bool launched_with_several_ranks() {
  if (env_int("OMPI_COMM_WORLD_SIZE", 1) > 1) return true;  // Open MPI's mpirun
  if (env_int("PMI_SIZE", 1) > 1) return true;              // MPICH / PMI-1 / PMI-2
  if (std::getenv("PMIX_RANK")) return true;                // srun --mpi=pmix, prterun
  if (env_int("SLURM_NTASKS", 1) > 1) return true;          // sbatch/srun with several tasks
  return false;
}

std::string host_name() {
  char buffer[256] = {0};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "unknown-host";
  return buffer;
}

#ifdef HAVE_MPI

namespace {
int provided_thread_level = -1;

void finalize_mpi_at_exit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}
}  // namespace

void ensure_mpi_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized) {
      MPI_Query_thread(&provided_thread_level);
      return;
    }
    // MULTIPLE: the task farm's coordinator thread on world rank 0 talks MPI while the main thread trains.
    const int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided_thread_level);
    if (rc != MPI_SUCCESS) throw Error("MPI_Init_thread failed: error code " + std::to_string(rc));
    // Errors come back as codes (check_mpi turns them into messages) instead of killing the job silently.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    std::atexit(finalize_mpi_at_exit);
  });
}

int mpi_thread_level() {
  ensure_mpi_initialized();
  return provided_thread_level;
}

void check_mpi(int rc, const char* call) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {0};
  int length = 0;
  if (MPI_Error_string(rc, text, &length) != MPI_SUCCESS) length = 0;
  throw Error(std::string(call) + " failed: error code " + std::to_string(rc) + " (" +
              std::string(text, static_cast<size_t>(length)) + ")");
}

GroupLayout group_layout(int ranks_per_job) {
  ensure_mpi_initialized();
  GroupLayout layout;
  check_mpi(MPI_Comm_rank(MPI_COMM_WORLD, &layout.world_rank), "MPI_Comm_rank");
  check_mpi(MPI_Comm_size(MPI_COMM_WORLD, &layout.world_size), "MPI_Comm_size");
  const int k = ranks_per_job <= 0 ? layout.world_size : ranks_per_job;
  if (layout.world_size % k != 0)
    throw Error("--ranks-per-job " + std::to_string(k) + ": must divide the number of ranks (" +
                std::to_string(layout.world_size) + ")");
  layout.ranks_per_group = k;
  layout.group_index = layout.world_rank / k;
  layout.group_count = layout.world_size / k;
  layout.group_rank = layout.world_rank % k;
  return layout;
}

MPI_Comm group_comm(int ranks_per_job) {
  static std::mutex mutex;
  static std::map<int, MPI_Comm> comms;  // by ranks per group; freed by MPI_Finalize
  const GroupLayout layout = group_layout(ranks_per_job);
  std::lock_guard<std::mutex> lock(mutex);
  auto found = comms.find(layout.ranks_per_group);
  if (found != comms.end()) return found->second;
  MPI_Comm comm = MPI_COMM_NULL;
  check_mpi(MPI_Comm_split(MPI_COMM_WORLD, layout.group_index, layout.group_rank, &comm), "MPI_Comm_split");
  MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
  comms[layout.ranks_per_group] = comm;
  return comm;
}

int local_rank() {
  const int from_env = env_int("OMPI_COMM_WORLD_LOCAL_RANK", -1);
  if (from_env >= 0) return from_env;
  const int from_slurm = env_int("SLURM_LOCALID", -1);
  if (from_slurm >= 0) return from_slurm;
  ensure_mpi_initialized();
  MPI_Comm node = MPI_COMM_NULL;
  check_mpi(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node),
            "MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)");
  int rank = 0;
  check_mpi(MPI_Comm_rank(node, &rank), "MPI_Comm_rank(node)");
  MPI_Comm_free(&node);
  return rank;
}

void abort_world(const std::string& reason, int exit_code) {
  int rank = -1, initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  // One write, so the line is not interleaved with other ranks' output.
  std::cerr << ("bgm: rank " + std::to_string(rank) + " (host " + host_name() + ") aborting: " + reason + "\n");
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

#endif  // HAVE_MPI

}  // namespace bgm
