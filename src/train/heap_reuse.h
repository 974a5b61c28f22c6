// glibc hands freed blocks of 128 KiB and more back to the kernel (munmap, or a trim of the heap's top), and its
// adaptive threshold then depends on the order of earlier allocations. An evaluation's tensors (a 1,000-row batch
// of activations: 400 KB for the toy's MLP) were then unmapped after every curve point and faulted in again at
// the next: the toy's curve points took 0.7-0.9 s per 300 epochs in a process that had parsed a manifest first
// and 0.15 s in one that had not (`make bench-jobs`, 2026-12-02). Fixed thresholds keep freed memory for reuse.
#pragma once

namespace bgm {

// Call early in main, before the first large allocation; a no-op outside glibc.
void keep_freed_memory_for_reuse();

}  // namespace bgm
