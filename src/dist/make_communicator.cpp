// Picks the communicator backend by name at run time; "auto" looks at how the process was launched.
#include "core/error.h"
#include "dist/backends.h"
#include "dist/communicator.h"
#include "dist/mpi_runtime.h"

namespace bgm {

std::unique_ptr<Communicator> make_communicator(const std::string& backend, int ranks_per_job) {
  std::string chosen = backend;
  if (chosen == "auto") {
#ifdef HAVE_MPI
    chosen = launched_with_several_ranks() && group_layout(0).world_size > 1 ? "mpi" : "none";
#else
    if (launched_with_several_ranks())
      throw Error("--backend auto: launched with several ranks, but this bgm was built without MPI "
                  "(every rank would run alone); rebuild with MPI or start one process");
    chosen = "none";
#endif
  }
  if (chosen == "none") {
    if (ranks_per_job > 1) throw Error("--ranks-per-job " + std::to_string(ranks_per_job) +
                                       ": needs --backend mpi or nccl (backend is none)");
    return make_single_process_communicator();
  }
  if (chosen == "mpi") {
#ifdef HAVE_MPI
    return make_mpi_communicator(ranks_per_job);
#else
    throw Error("--backend mpi: this bgm was built without MPI (configure with MPI installed, BGM_WITH_MPI=ON)");
#endif
  }
  if (chosen == "nccl") {
#ifdef HAVE_NCCL
    return make_nccl_communicator(ranks_per_job);
#else
    throw Error("--backend nccl: this bgm was built without NCCL (needs the CUDA toolkit, nccl.h, libnccl and "
                "MPI at configure time, BGM_WITH_NCCL=ON)");
#endif
  }
  throw Error("--backend: expected auto, none, mpi or nccl, got '" + backend + "'");
}

}  // namespace bgm
