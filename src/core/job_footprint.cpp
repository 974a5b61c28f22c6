#include "core/job_footprint.h"

#include <algorithm>
#include <cstdio>

#include "core/dataset_facts.h"
#include "core/model_facts.h"

namespace bgm {
namespace {

constexpr int64_t kMiB = 1 << 20;
// Measured orders of magnitude: a CUDA 12 context with cuBLAS/cuDNN loaded takes ~500-600 MiB of the GPU;
// a LibTorch CPU process ~150 MiB of resident memory before any tensor.
constexpr int64_t kCudaRuntimeBytes = 640 * kMiB;
constexpr int64_t kCpuRuntimeBytes = 192 * kMiB;
constexpr int64_t kWeightCopies = 5;

double gib(int64_t bytes) { return static_cast<double>(bytes) / (1 << 30); }

}  // namespace

std::string JobFootprint::describe() const {
  char text[200];
  std::snprintf(text, sizeof text, "%.2f GiB (weights %.2f, dataset %.2f, set C %.2f, activations %.2f, runtime %.2f)",
                gib(total()), gib(weights), gib(dataset), gib(stored_set), gib(activations), gib(runtime));
  return text;
}

JobFootprint estimate_job_footprint(const JobSpec& job, const std::string& stage, int64_t parameters, bool cuda) {
  JobFootprint f;
  const JobDataSize size = job_data_size(job);
  const int64_t train = size.train, test = size.test, features = size.features, pixels = std::max<int64_t>(1, size.pixels);
  const int64_t bytes_per_value = size.points ? 4 : 1;  // images live as uint8, points as float

  f.weights = parameters * 4 * kWeightCopies;
  f.dataset = (train + test) * features * bytes_per_value;
  const bool init = stage == "init";
  if (init) {
    const int64_t set_bytes = train * job.init.adversarial.replicas * features * bytes_per_value;
    if (set_bytes <= job.alg1_memory_mb * kMiB) f.stored_set = set_bytes;
  }
  const SgdSpec& sgd = init ? job.init.adversarial.sgd : job.train;
  const ModelFacts& model = model_facts_of(job.model.name);
  const double per_image = model.activation_mb_per_image * kMiB * (model.convolutional() ? pixels / 1024.0 : 1.0);
  const double precision_factor = job.bf16() ? 0.6 : 1.0;  // autocast keeps some tensors in fp32
  // The evaluation batch keeps no activations for backward, but its widest layer's output is alive at once.
  const double eval_bytes = job.eval.eval_batch_size * per_image / 8;
  f.activations = static_cast<int64_t>(std::max(sgd.batch_size * per_image * precision_factor, eval_bytes));
  f.runtime = cuda ? kCudaRuntimeBytes : kCpuRuntimeBytes;
  return f;
}

}  // namespace bgm
