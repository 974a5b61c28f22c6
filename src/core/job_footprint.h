// What one job holds in its device's memory, estimated before it starts: the packing of several jobs on one
// GPU (`bgm sweep --jobs-per-gpu K`) admits a job only where the estimates of the jobs beside it leave room.
// An estimate, deliberately generous: parameters with their gradients, momentum and the copies the metrics
// keep; the whole dataset resident as uint8; Algorithm 1's stored set; a step's activations; the process's own
// runtime (CUDA context, cuDNN/cuBLAS handles, or LibTorch's CPU allocations).
#pragma once
#include <cstdint>
#include <string>

#include "core/job_spec.h"

namespace bgm {

struct JobFootprint {
  int64_t weights = 0;      // parameters x 4 bytes x (weights, gradients, momentum, initial copy, best copy)
  int64_t dataset = 0;      // train + test splits, uint8 (points: float)
  int64_t stored_set = 0;   // Algorithm 1's set C as uint8, when it fits alg1_memory_mb (init stage only)
  int64_t activations = 0;  // training batch x the model's saved activations per image (bf16: about half)
  int64_t runtime = 0;      // per process: CUDA context and library handles, or LibTorch on the CPU
  int64_t total() const { return weights + dataset + stored_set + activations + runtime; }
  std::string describe() const;  // "1.9 GiB (weights 0.2, dataset 0.2, set C 0.0, activations 0.9, runtime 0.6)"
};

// `stage` is "init" (Algorithm 1 only) or "train"; `parameters` the model's parameter count for this dataset.
JobFootprint estimate_job_footprint(const JobSpec& job, const std::string& stage, int64_t parameters, bool cuda);

}  // namespace bgm
