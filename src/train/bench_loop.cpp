#include "train/bench_loop.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#ifdef BGM_TORCH_CUDA  // set by CMake when the LibTorch build has CUDA (c10_cuda is linked)
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include "core/dataset_facts.h"
#include "core/error.h"
#include "core/job_presets.h"
#include "train/precision.h"
#include "train/sgd_stage.h"

namespace bgm {

SgdSpec image_bench_sgd() {
  const SchedulePreset& cifar = *find_schedule("cifar");
  SgdSpec sgd = cifar.sgd;
  sgd.momentum = cifar.momentum;
  sgd.weight_decay = cifar.l2;
  return sgd;
}

DeviceDataset bench_dataset(const JobSpec& job, const torch::Device& device, std::string& note) {
  try {
    note = "real";
    return load_device_dataset(job, device);
  } catch (const Error& e) {
    const DatasetFacts* s = find_dataset_facts(job.dataset.name);
    if (!s || s->points()) throw;
    note = std::string("synthetic (") + e.what() + ")";
    return synthetic_device_dataset(job.dataset.name, s->train, s->test, s->classes,
                                    {s->channels, s->height, s->width}, device);
  }
}

std::unique_ptr<BatchSource> bench_train_source(const DeviceDataset& data, const JobSpec& job, bool random_labels,
                                                bool augment) {
  if (!random_labels) return make_true_label_source(data, data.train, augment, job.augment);
  AdversarialSpec adversarial = job.init.adversarial;
  if (!job.init.is_adversarial()) {  // parse_job fills R/N only for adversarial jobs: the dataset defaults
    const DatasetFacts& defaults = dataset_facts_of(job.dataset.name);
    adversarial.replicas = defaults.replicas;
    adversarial.zero_fraction = defaults.zero_fraction;
    adversarial.zero_unit = ZeroUnit::kPixel;
  }
  return make_random_label_source(data, adversarial, job.alg1_memory_mb << 20);
}

boost::json::object phase_milliseconds(const PhaseTimes& t, int64_t steps) {
  const double k = 1000.0 / static_cast<double>(std::max<int64_t>(1, steps));
  return boost::json::object{{"data_ms", t.data * k},
                             {"forward_backward_ms", t.forward_backward * k},
                             {"optimizer_ms", t.optimizer * k},
                             {"allreduce_ms", t.allreduce * k},
                             {"total_ms", (t.data + t.forward_backward + t.optimizer + t.allreduce) * k},
                             {"steps", steps},
                             {"note", "separate pass, device synchronized between phases"}};
}

double time_evaluation(ClassifierImpl& model, const BatchSource& source, int64_t batch, Communicator& comm, bool bf16) {
  const EpochPlan plan = source.plan_epoch(0, 0);
  const torch::Device device = model.parameters().front().device();
  AutocastScope autocast(bf16);
  evaluate(model, source, plan, batch, comm);  // warm-up
  synchronize_device(device);
  const auto start = std::chrono::steady_clock::now();
  evaluate(model, source, plan, batch, comm);
  synchronize_device(device);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

BenchSteps::BenchSteps(ClassifierImpl& model, const BatchSource& source, const SgdSpec& sgd, Communicator& comm,
                       int64_t batch, bool bf16, bool channels_last, bool lean)
    : source_(source), optimizer_(model.parameters(), sgd.momentum, sgd.weight_decay),
      train_step_(model, optimizer_, comm, bf16, channels_last), lr_(sgd.lr), batch_(batch) {
  running_loss_ = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(model.parameters().front().device()));
  if (lean) lean_ = LeanMlpStep::make(model, comm, optimizer_);
}

const char* BenchSteps::kernel() const { return lean_ ? LeanMlpStep::kName : "libtorch"; }

void BenchSteps::step(PhaseTimes* times) {
  if (position_ >= source_.size() || epoch_ == 0) {
    plan_ = source_.plan_epoch(/*seed=*/0, ++epoch_);
    position_ = 0;
    if (lean_) lean_->begin_epoch(source_, plan_);
  }
  const int64_t lo = position_, hi = std::min(source_.size(), lo + batch_);
  position_ = hi;
  if (!lean_) return train_step_.run(source_, plan_, lo, hi, lr_, running_loss_, times);
  const auto t = std::chrono::steady_clock::now();
  lean_loss_ += lean_->step_positions(lo, hi, lr_);
  if (times)  // forward, backward and update in one
    times->forward_backward += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double BenchSteps::drain() { return running_loss_.item<double>() + lean_loss_; }

boost::json::object time_toy_stage(ClassifierImpl& model, const BatchSource& source, const JobSpec& job,
                                   int64_t epochs, int64_t batch, bool lean, Communicator& comm) {
  SgdSpec sgd = job.init.adversarial.sgd;
  sgd.epochs = epochs;
  sgd.batch_size = batch;
  sgd.stop_accuracy = 0;
  char dir_template[] = "/tmp/bgm-bench-XXXXXX";
  if (!::mkdtemp(dir_template)) throw Error("bgm bench: cannot create a temporary folder under /tmp");
  const std::string dir = dir_template;
  const EpochPlan eval_plan = source.plan_epoch(0, -1);
  const int64_t check_every = job.init.adversarial.sgd.check_every, eval_batch = job.eval.eval_batch_size;
  auto hook = [&](int64_t epoch, bool last) -> std::optional<EpochReport> {
    if (!(epoch == 0 || last || epoch % check_every == 0)) return std::nullopt;
    const EvalResult on_c = evaluate(model, source, eval_plan, eval_batch, comm);
    EpochReport r;
    r.row = boost::json::object{{"train_loss", on_c.loss}, {"train_acc", on_c.accuracy}};
    return r;
  };
  StageSpec spec;
  spec.stage = "adversarial-init";
  spec.sgd = sgd;
  spec.checkpoint_path = dir + "/checkpoint.pt";
  spec.checkpoint_every = job.checkpoint_every;
  spec.checkpoint_seconds = job.checkpoint_seconds;
  spec.job_hash = "bench";
  spec.quiet = true;
  StageSettings settings = StageSettings::of(job);
  settings.lean_step = lean;
  // Wall time: the stage's own `seconds` count only its epochs' steps, not the hook or the checkpoints.
  const auto start = std::chrono::steady_clock::now();
  const StageOutcome outcome = run_sgd_stage(model, source, spec, settings, comm, hook);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::remove_all(dir);
  const int64_t steps = outcome.epochs * ((source.size() + batch - 1) / batch);
  return boost::json::object{{"epochs", outcome.epochs},
                             {"steps", steps},
                             {"seconds", seconds},
                             {"steps_per_s", static_cast<double>(steps) / std::max(1e-9, seconds)},
                             {"steps_only_seconds", outcome.seconds},
                             {"check_every", check_every},
                             {"step_kernel", outcome.step_kernel},
                             {"checkpoint_every", job.checkpoint_every},
                             {"what", "run_sgd_stage on the random-label set with the accuracy-on-C hook and checkpoints"}};
}

void synchronize_device(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

#ifdef BGM_TORCH_CUDA
namespace {
// "cuda" without an index means the current device.
c10::DeviceIndex cuda_index(const torch::Device& device) {
  return device.has_index() ? device.index() : c10::cuda::current_device();
}
}  // namespace
#endif

void reset_peak_memory(const torch::Device& device) {
#ifdef BGM_TORCH_CUDA
  if (device.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(cuda_index(device));
#else
  (void)device;
#endif
}

std::pair<int64_t, std::string> peak_memory(const torch::Device& device) {
  if (device.is_cuda()) {
#ifdef BGM_TORCH_CUDA
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(cuda_index(device));
    return {static_cast<int64_t>(stats.allocated_bytes[0].peak), "cuda-allocator-peak"};  // [0] = aggregate pool
#else
    return {-1, "unavailable (built without BGM_TORCH_CUDA)"};
#endif
  }
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return {static_cast<int64_t>(usage.ru_maxrss) * 1024, "process-peak-rss"};
}

}  // namespace bgm
