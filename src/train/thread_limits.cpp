#include "train/thread_limits.h"

#include <dlfcn.h>

#include <torch/torch.h>

namespace bgm {

namespace {

template <typename F>
F symbol(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_DEFAULT, name));
}

using SetThreads = void (*)(int);
using GetThreads = int (*)();
using GetConfig = const char* (*)();

}  // namespace

void apply_thread_limits(int threads) {
  torch::set_num_threads(threads);
  try {
    at::set_num_interop_threads(threads);
  } catch (const c10::Error&) {
    // Settable once per process, before inter-op work: a later job of the same process (bgm sweep) keeps it.
  }
  if (auto f = symbol<SetThreads>("openblas_set_num_threads")) f(threads);
  if (auto f = symbol<SetThreads>("MKL_Set_Num_Threads")) f(threads);
  if (auto f = symbol<SetThreads>("bli_thread_set_num_threads")) f(threads);
}

boost::json::object blas_record() {
  if (auto get = symbol<GetThreads>("openblas_get_num_threads")) {
    const auto config = symbol<GetConfig>("openblas_get_config");
    return {{"name", config ? config() : "OpenBLAS"}, {"threads", get()}};
  }
  if (auto get = symbol<GetThreads>("MKL_Get_Max_Threads")) return {{"name", "MKL"}, {"threads", get()}};
  if (auto get = symbol<GetThreads>("bli_thread_get_num_threads")) return {{"name", "BLIS"}, {"threads", get()}};
  return {{"name", "unknown (no OpenBLAS, MKL or BLIS symbols: reference BLAS, single-threaded)"}, {"threads", 1}};
}

}  // namespace bgm
