// Which communication libraries this build has, and their run-time versions, for `bgm --version` and the
// software block of every result.
#pragma once
#include <string>

namespace bgm {

// "Open MPI v4.1.4, package: ..." (first line of MPI_Get_library_version), or "not built in".
std::string mpi_library_version();
// "2.27.3" (ncclGetVersion), or "not built in".
std::string nccl_library_version();

}  // namespace bgm
