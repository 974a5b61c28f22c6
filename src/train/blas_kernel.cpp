#include "train/blas_kernel.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace bgm {

namespace {

// The best OpenBLAS core this CPU runs, among the two that matter on x86-64 servers; nullptr for none.
const char* best_core() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return nullptr;
}

}  // namespace

void ensure_openblas_kernels(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE")) return;  // the user's choice, or this is the re-run
  using GetCorename = char* (*)();
  const auto corename = reinterpret_cast<GetCorename>(::dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (!corename) return;  // not OpenBLAS
  const std::string core = corename();
  const char* better = best_core();
  if (!better || (core != "Prescott" && core != "prescott")) return;
  ::setenv("OPENBLAS_CORETYPE", better, 1);
  ::execv("/proc/self/exe", argv);
  std::fprintf(stderr, "bgm: warning: OpenBLAS runs its generic Prescott kernels on a CPU with %s; could not restart "
               "with OPENBLAS_CORETYPE=%s, so matrix products run several times slower\n", better, better);
}

}  // namespace bgm
