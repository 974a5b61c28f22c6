// Constructors of the MPI and NCCL communicators, used only by make_communicator (make_communicator.cpp).
#pragma once
#include <memory>

#include "dist/communicator.h"

namespace bgm {

#ifdef HAVE_MPI
std::unique_ptr<Communicator> make_mpi_communicator(int ranks_per_job);
#endif
#ifdef HAVE_NCCL
std::unique_ptr<Communicator> make_nccl_communicator(int ranks_per_job);
#endif

}  // namespace bgm
