#include "dist/library_versions.h"

#ifdef HAVE_MPI
#include <mpi.h>
#endif
#ifdef HAVE_NCCL
#include <nccl.h>
#endif

namespace bgm {

std::string mpi_library_version() {
#ifdef HAVE_MPI
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {0};
  int length = 0;
  MPI_Get_library_version(text, &length);  // callable before MPI_Init
  std::string version(text, static_cast<size_t>(length));
  return version.substr(0, version.find_first_of("\n,"));
#else
  return "not built in";
#endif
}

std::string nccl_library_version() {
#ifdef HAVE_NCCL
  int code = 0;
  if (ncclGetVersion(&code) != ncclSuccess) return "built in, version unknown";
  // Since NCCL 2.9: major * 10000 + minor * 100 + patch (before: major * 1000 + minor * 100 + patch).
  const int major = code >= 10000 ? code / 10000 : code / 1000;
  const int minor = code >= 10000 ? code % 10000 / 100 : code % 1000 / 100;
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(code % 100);
#else
  return "not built in";
#endif
}

}  // namespace bgm
