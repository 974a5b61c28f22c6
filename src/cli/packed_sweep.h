// `bgm sweep --jobs-per-gpu K`: the manifest's jobs as `bgm run` child processes, K at a time on each device
// (dist/process_packer.h), each admitted where its estimated memory (core/job_footprint.h) fits.
#pragma once
#include <string>
#include <vector>

#include "core/manifest.h"

namespace bgm {

struct PackedSweepOptions {
  std::string manifest_path;        // as the children get it (--manifest)
  std::string output;               // --output given to the sweep, passed on; "" = the manifest's
  std::string device = "auto";      // auto (the GPUs, else the CPU) | cpu | cuda
  int jobs_per_device = 1;
  long long device_memory_mb = 0;   // 0: detect (nvidia-smi for GPUs, MemAvailable for the CPU)
  bool quiet = false;
};

// Runs `jobs` (init jobs before train jobs); returns the exit status: 0 all done, 1 some failed (the others
// ran to the end), 128+signal after a forwarded preemption.
int run_packed_sweep(const Manifest& manifest, const std::vector<const ManifestJob*>& jobs,
                     const PackedSweepOptions& options);

}  // namespace bgm
