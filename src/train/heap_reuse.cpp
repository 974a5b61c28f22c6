#include "train/heap_reuse.h"

#include <cstdlib>  // defines __GLIBC__ where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bgm {

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  // Blocks up to 32 MiB (glibc's largest allowed threshold) come from the heap, and the heap is trimmed only when
  // 1 GiB sits free at its top: a job's working set is the same every epoch, so what it frees it needs again.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace bgm
