// The job's `threads` binds every thread pool that does arithmetic: LibTorch's intra-op and inter-op pools and
// the BLAS library's own (OpenBLAS otherwise starts one thread per core at load, whatever Slurm granted, and its
// summation order then depends on the machine). The BLAS is found in the running process, not at build time.
#pragma once
#include <boost/json.hpp>

namespace bgm {

// Sets LibTorch's and the BLAS's thread counts to `threads`.
void apply_thread_limits(int threads);
// {"name": "OpenBLAS 0.3.21 ...", "threads": 1} of the BLAS this process runs ("unknown" where it cannot tell).
boost::json::object blas_record();

}  // namespace bgm
