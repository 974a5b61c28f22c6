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
  const DatasetFacts* facts = find_dataset_facts(job.dataset.name);
  int64_t train = 2 * job.dataset.toy_points_per_class, test = 2 * job.dataset.toy_test_points_per_class;
  int64_t features = 2, pixels = 1;
  if (facts && !facts->points())
    train = facts->train, test = facts->test, features = facts->features(), pixels = facts->height * facts->width;
  if (job.dataset.train_subset > 0) train = std::min(train, job.dataset.train_subset);
  if (job.dataset.test_subset > 0) test = std::min(test, job.dataset.test_subset);
  const int64_t bytes_per_value = facts && !facts->points() ? 1 : 4;

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
