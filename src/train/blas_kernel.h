// OpenBLAS 0.3.21 (Debian 12's) does not recognise some CPUs that virtual machines report generically ("Intel(R)
// Xeon(R) Processor") and falls back to its Prescott (SSE3) kernels, which run GEMMs 4-5x slower than the AVX-512 or
// AVX2 ones the CPU supports. OpenBLAS picks its kernels when the library loads, before main, from
// OPENBLAS_CORETYPE; so bgm, finding the fallback, runs itself again once with that variable set.
#pragma once

namespace bgm {

// Call first in main. Returns only when no re-run is needed (or it failed); an OPENBLAS_CORETYPE the user set is kept.
void ensure_openblas_kernels(char** argv);

}  // namespace bgm
