// `bgm bench`: times the real training hot path (BatchSource -> model -> loss -> backward -> all-reduce -> Sgd,
// the components run_sgd_stage uses) and evaluation on one model/dataset; prints a summary and writes JSON.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <boost/json.hpp>
#include <torch/torch.h>
#include <torch/version.h>
#ifdef BGM_TORCH_CUDA  // set by CMake when the LibTorch build has CUDA (c10_cuda is linked)
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include "cli/command.h"
#include "core/error.h"
#include "core/job_spec.h"
#include "data/batch_source.h"
#include "data/device_dataset.h"
#include "dist/communicator.h"
#include "models/classifier.h"
#include "train/thread_limits.h"
#include "train/lean_mlp_step.h"
#include "train/precision.h"
#include "train/result_record.h"
#include "train/sgd.h"
#include "train/sgd_stage.h"

namespace bgm {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct BenchOptions {
  std::string model, dataset, precision = "fp32", device = "auto", json_path, backend = "auto";
  int64_t batch = 128, steps = 0, warmup = -1, threads = 1, ranks_per_job = 0, eval_images = 0, eval_batch = 0;
  int64_t stage_epochs = -1, breakdown_steps = -1;
  bool augment = false, random_labels = false, channels_last = false, cudnn_benchmark = true, lean_step = true;
};

// The dataset's shape, class count and split sizes, for synthetic data when the files are absent.
struct SyntheticShape {
  const char* name;
  InputShape shape;
  int64_t classes, train, test;
};
const SyntheticShape* synthetic_shape(const std::string& dataset) {
  static const SyntheticShape shapes[] = {
      {"cifar10", {3, 32, 32}, 10, 50000, 10000},
      {"cifar100", {3, 32, 32}, 100, 50000, 10000},
      {"cinic10", {3, 32, 32}, 10, 90000, 90000},
      {"restricted-imagenet", {3, 32, 32}, 9, 123000, 4800},
      {"fashion-mnist", {1, 28, 28}, 10, 60000, 10000},
  };
  for (const auto& s : shapes)
    if (dataset == s.name) return &s;
  return nullptr;
}

void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

struct PhaseTimes {
  double data = 0, forward_backward = 0, optimizer = 0, allreduce = 0;
};

// One training step exactly as run_sgd_stage takes it: this rank's shard of the global batch from the
// BatchSource, summed cross-entropy scaled to the global mean, backward, one-bucket all-reduce, Sgd step.
// Walks through epochs like the stage (a fresh EpochPlan at each epoch start). Where the stage would take the
// lean MLP step (the toy on one CPU rank), so does this, with the epoch's examples drawn at its start.
class TrainSteps {
 public:
  TrainSteps(ClassifierImpl& model, const BatchSource& source, const SgdSpec& sgd, Communicator& comm, int64_t batch,
             bool bf16, bool channels_last, bool lean)
      : model_(model), source_(source), params_(model.parameters()), optimizer_(params_, sgd.momentum, sgd.weight_decay),
        comm_(comm), lr_(sgd.lr), batch_(batch), bf16_(bf16), channels_last_(channels_last),
        device_(params_.front().device()), index_options_(torch::TensorOptions().dtype(torch::kInt64).device(device_)) {
    running_loss_ = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device_));
    if (lean) lean_ = LeanMlpStep::make(model, comm, optimizer_);
  }
  const char* kernel() const { return lean_ ? LeanMlpStep::kName : "libtorch"; }

  // `times`: when given, synchronizes the device between phases and adds each phase's seconds.
  void step(PhaseTimes* times) {
    if (position_ >= source_.size() || epoch_ == 0) {
      plan_ = source_.plan_epoch(/*seed=*/0, ++epoch_);
      position_ = 0;
      if (lean_) lean_->begin_epoch(source_, plan_);
    }
    if (lean_) {
      const int64_t lo = position_, hi = std::min(source_.size(), lo + batch_);
      position_ = hi;
      const auto t = Clock::now();
      lean_loss_ += lean_->step_positions(lo, hi, lr_);
      if (times) times->forward_backward += seconds_since(t);  // forward, backward and update in one
      return;
    }
    const int64_t lo = position_, hi = std::min(source_.size(), lo + batch_);
    const int64_t n = hi - lo, ranks = comm_.size(), base = n / ranks, extra = n % ranks, r = comm_.rank();
    const int64_t begin = lo + r * base + std::min<int64_t>(r, extra), end = begin + base + (r < extra ? 1 : 0);
    position_ = hi;
    auto t = Clock::now();
    auto lap = [&](double PhaseTimes::*field) {
      if (!times) return;
      synchronize(device_);
      times->*field += seconds_since(t);
      t = Clock::now();
    };
    optimizer_.zero_grad();
    lap(&PhaseTimes::optimizer);
    if (end > begin) {
      Batch b = source_.batch(plan_, torch::arange(begin, end, index_options_));
      if (channels_last_) b.inputs = b.inputs.contiguous(at::MemoryFormat::ChannelsLast);
      lap(&PhaseTimes::data);
      torch::Tensor loss;
      {
        AutocastScope autocast(bf16_);
        auto logits = model_.forward(b.inputs);
        loss = torch::nn::functional::cross_entropy(
                   logits, b.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) *
               (static_cast<double>(ranks) / static_cast<double>(n));
      }
      loss.backward();
      running_loss_ += loss.detach().to(torch::kFloat64) * (static_cast<double>(n) / ranks);
      lap(&PhaseTimes::forward_backward);
    }
    allreduce_gradients(comm_, params_);
    lap(&PhaseTimes::allreduce);
    optimizer_.step(lr_);
    lap(&PhaseTimes::optimizer);
  }

  // Reads the running loss back, as the stage does at each epoch end (a device sync).
  double drain() { return running_loss_.item<double>() + lean_loss_; }

 private:
  ClassifierImpl& model_;
  const BatchSource& source_;
  std::vector<torch::Tensor> params_;
  Sgd optimizer_;
  Communicator& comm_;
  double lr_;
  int64_t batch_;
  bool bf16_, channels_last_;
  torch::Device device_;
  torch::TensorOptions index_options_;
  EpochPlan plan_;
  int64_t epoch_ = 0, position_ = 0;
  torch::Tensor running_loss_;
  std::unique_ptr<LeanMlpStep> lean_;
  double lean_loss_ = 0;
};

#ifdef BGM_TORCH_CUDA
// "cuda" without an index means the current device.
c10::DeviceIndex cuda_index(const torch::Device& device) {
  return device.has_index() ? device.index() : c10::cuda::current_device();
}
#endif

// Peak bytes since the last reset: the CUDA caching allocator's peak of allocated bytes, or the process's
// peak resident set on the CPU (which includes the dataset and LibTorch itself).
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

BenchOptions parse_options(const std::vector<std::string>& raw) {
  const ParsedArgs a = parse_args(raw, "bench",
                                  {"--model", "--dataset", "--batch", "--steps", "--warmup", "--precision", "--device",
                                   "--threads", "--json", "--ranks-per-job", "--backend", "--eval-images", "--eval-batch",
                                   "--stage-epochs", "--breakdown-steps"},
                                  {"--augment", "--random-labels", "--channels-last", "--no-cudnn-benchmark",
                                   "--no-lean-step"});
  if (!a.positional.empty()) throw Error("bgm bench: takes no positional arguments, got '" + a.positional[0] + "'");
  BenchOptions o;
  o.model = a.get("--model");
  o.dataset = a.get("--dataset");
  if (o.model.empty() || o.dataset.empty()) throw Error("bgm bench: --model M and --dataset D are required");
  o.batch = a.get_int("--batch", 128);
  o.steps = a.get_int("--steps", 0);
  o.warmup = a.get_int("--warmup", -1);
  o.precision = a.get("--precision", "fp32");  // checked by apply_precision
  o.device = a.get("--device", "auto");
  o.threads = a.get_int("--threads", 1);
  o.json_path = a.get("--json");
  o.ranks_per_job = a.get_int("--ranks-per-job", 0);
  o.backend = a.get("--backend", "auto");
  o.eval_images = a.get_int("--eval-images", 0);
  o.eval_batch = a.get_int("--eval-batch", 0);
  o.stage_epochs = a.get_int("--stage-epochs", -1);
  o.breakdown_steps = a.get_int("--breakdown-steps", -1);
  o.augment = a.has("--augment");
  o.random_labels = a.has("--random-labels");
  o.channels_last = a.has("--channels-last");
  o.cudnn_benchmark = !a.has("--no-cudnn-benchmark");
  o.lean_step = !a.has("--no-lean-step");
  if (o.batch < 1) throw Error("flag --batch: expected a positive batch size, got " + std::to_string(o.batch));
  if (o.threads < 1) throw Error("flag --threads: expected at least 1, got " + std::to_string(o.threads));
  if (o.steps < 0 || o.eval_images < 0 || o.eval_batch < 0)
    throw Error("flags --steps/--eval-images/--eval-batch: expected non-negative counts");
  return o;
}

// The job the bench stands for: the dataset's defaults (root, augmentation, Algorithm 1 settings).
JobSpec bench_job(const BenchOptions& o, bool points) {
  json::object doc{{"dataset", o.dataset}, {"model", o.model}};
  if (points) doc["init"] = "adversarial";  // the toy bench measures Fig. 1's random-label stage
  return parse_job(doc, "bgm bench --model/--dataset");
}

json::object phase_json(const PhaseTimes& t, int64_t steps) {
  const double k = 1000.0 / static_cast<double>(std::max<int64_t>(1, steps));
  return json::object{{"data_ms", t.data * k},
                      {"forward_backward_ms", t.forward_backward * k},
                      {"optimizer_ms", t.optimizer * k},
                      {"allreduce_ms", t.allreduce * k},
                      {"total_ms", (t.data + t.forward_backward + t.optimizer + t.allreduce) * k}};
}

// Fig. 1b's stage as `bgm run` runs it: run_sgd_stage over the random-label set with Algorithm 1's hook
// (accuracy on C every check_every epochs, never stopping early here) and the job's checkpoint cadence.
json::object time_toy_stage(ClassifierImpl& model, const BatchSource& source, const JobSpec& job, int64_t epochs,
                            int64_t batch, bool lean, Communicator& comm) {
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
    r.row = json::object{{"train_loss", on_c.loss}, {"train_acc", on_c.accuracy}};
    return r;
  };
  StageSpec spec{"adversarial-init", sgd, 0, dir + "/checkpoint.pt", job.checkpoint_every, job.checkpoint_seconds, "bench", true, lean};
  // Wall time: the stage's own `seconds` count only its epochs' steps, not the hook or the checkpoints.
  const auto start = Clock::now();
  const StageOutcome outcome = run_sgd_stage(model, source, spec, comm, hook);
  const double seconds = seconds_since(start);
  std::filesystem::remove_all(dir);
  const int64_t steps = outcome.epochs * ((source.size() + batch - 1) / batch);
  return json::object{{"epochs", outcome.epochs},
                      {"steps", steps},
                      {"seconds", seconds},
                      {"steps_per_s", static_cast<double>(steps) / std::max(1e-9, seconds)},
                      {"steps_only_seconds", outcome.seconds},
                      {"check_every", check_every},
                      {"step_kernel", outcome.step_kernel},
                      {"checkpoint_every", job.checkpoint_every},
                      {"what", "run_sgd_stage on the random-label set with the accuracy-on-C hook and checkpoints"}};
}

int run_bench(const std::vector<std::string>& args) {
  const BenchOptions o = parse_options(args);
  apply_thread_limits(static_cast<int>(o.threads));
  auto comm = make_communicator(o.backend, static_cast<int>(o.ranks_per_job));
  const bool lead = comm->rank() == 0;
  const bool points = o.dataset == "toy-gaussians";
  const JobSpec job = bench_job(o, points);
  const torch::Device device = pick_device(o.device, *comm);
  apply_precision(o.precision, device, "flag --precision");
  if (o.channels_last && !device.is_cuda()) throw Error("flag --channels-last: only on CUDA");
  if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(o.cudnn_benchmark);  // as `bgm run` does

  // Data: the real files when present, else synthetic data of the dataset's shape.
  std::string data_note = "real";
  DeviceDataset data;
  try {
    data = load_device_dataset(job, device);
  } catch (const Error& e) {
    const SyntheticShape* s = synthetic_shape(o.dataset);
    if (!s) throw;
    data_note = std::string("synthetic (") + e.what() + ")";
    data = synthetic_device_dataset(o.dataset, s->train, s->test, s->classes, s->shape, device);
  }
  if (lead) std::fprintf(stderr, "bgm bench: data %s\n", data_note.c_str());

  torch::manual_seed(0);
  Classifier model = make_model(job.model, data.shape, data.classes);
  model->to(device);
  if (o.channels_last) {
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
  }
  broadcast_model_state(*comm, *model, false);

  // Points (toy): Algorithm 1's random-label set with the job's SGD. Images: the authors' loop settings
  // (SGD lr 0.1, momentum 0.9, weight decay 5e-4) on true labels, or Algorithm 1's set with --random-labels.
  const bool random_labels = points || o.random_labels;
  SgdSpec sgd;
  if (points) {
    sgd = job.init.adversarial.sgd;
  } else {
    sgd.lr = 0.1;
    sgd.momentum = 0.9;
    sgd.weight_decay = 5e-4;
  }
  AdversarialSpec adversarial = job.init.adversarial;
  if (!points && o.random_labels) {  // parse_job fills R/N only for adversarial jobs: the dataset defaults
    adversarial.replicas = 10;
    adversarial.zero_fraction = 0.1;
    adversarial.zero_unit = "pixel";
  }
  auto train_source = random_labels ? make_random_label_source(data, adversarial, job.alg1_memory_mb << 20)
                                    : make_true_label_source(data, data.train, o.augment, job.augment);
  const int64_t steps = o.steps > 0 ? o.steps : (points ? 20000 : 50);
  const int64_t warmup = o.warmup >= 0 ? o.warmup : (points ? 1000 : 5);
  const int64_t breakdown_steps = o.breakdown_steps >= 0 ? o.breakdown_steps : std::min<int64_t>(steps, points ? 5000 : 20);
  const bool bf16 = o.precision == "bf16";

  model->train();
  TrainSteps loop(*model, *train_source, sgd, *comm, o.batch, bf16, o.channels_last, o.lean_step);
  for (int64_t i = 0; i < warmup; ++i) loop.step(nullptr);
  loop.drain();
  synchronize(device);
  reset_peak_memory(device);

  // Headline: no syncs inside the loop, one at the end.
  comm->barrier();
  auto start = Clock::now();
  for (int64_t i = 0; i < steps; ++i) loop.step(nullptr);
  loop.drain();
  synchronize(device);
  const double train_seconds = seconds_since(start);
  const double train_images = static_cast<double>(steps * o.batch);

  // Breakdown: the same steps with a sync after each phase.
  PhaseTimes phases;
  for (int64_t i = 0; i < breakdown_steps; ++i) loop.step(&phases);
  loop.drain();

  // Evaluation: evaluate() over the test split (or its first --eval-images), large batches, after a warm-up.
  DeviceSplit eval_split = data.test;
  if (o.eval_images > 0 && o.eval_images < eval_split.size())
    eval_split = DeviceSplit{eval_split.inputs.slice(0, 0, o.eval_images), eval_split.labels.slice(0, 0, o.eval_images)};
  auto eval_source = make_true_label_source(data, eval_split, false, job.augment);
  const EpochPlan eval_plan = eval_source->plan_epoch(0, 0);
  const int64_t eval_batch = o.eval_batch > 0 ? o.eval_batch : job.eval.eval_batch_size;
  double eval_seconds = 0;
  {
    AutocastScope autocast(bf16);
    evaluate(*model, *eval_source, eval_plan, eval_batch, *comm);  // warm-up
    synchronize(device);
    start = Clock::now();
    evaluate(*model, *eval_source, eval_plan, eval_batch, *comm);
    synchronize(device);
    eval_seconds = seconds_since(start);
  }
  const auto [peak_bytes, peak_kind] = peak_memory(device);

  json::object stage;
  const int64_t stage_epochs = o.stage_epochs >= 0 ? o.stage_epochs : (points ? 500 : 0);
  if (stage_epochs > 0) {
    if (!points) throw Error("flag --stage-epochs: the whole-stage timing is for the toy (--dataset toy-gaussians)");
    stage = time_toy_stage(*model, *train_source, job, stage_epochs, o.batch, o.lean_step, *comm);
  }

  json::object out{
      {"tool", "bgm bench"},
      {"model", o.model},
      {"dataset", o.dataset},
      {"data", data_note},
      {"parameters", count_parameters(*model)},
      {"train_examples", train_source->size()},
      {"labels", random_labels ? "random (Algorithm 1 set)" : "true"},
      {"augment", o.augment},
      {"batch", o.batch},
      {"sgd", json::object{{"lr", sgd.lr}, {"momentum", sgd.momentum}, {"weight_decay", sgd.weight_decay}}},
      {"precision", o.precision},
      {"channels_last", o.channels_last},
      {"cudnn_benchmark", device.is_cuda() && o.cudnn_benchmark},
      {"step_kernel", loop.kernel()},
      {"device", device.str()},
      {"threads", static_cast<int64_t>(torch::get_num_threads())},
      {"ranks", comm->size()},
      {"backend", comm->backend()},
      {"torch_version", TORCH_VERSION},
      {"warmup_steps", warmup},
      {"train", json::object{{"steps", steps},
                             {"seconds", train_seconds},
                             {"images_per_s", train_images / std::max(1e-9, train_seconds)},
                             {"steps_per_s", static_cast<double>(steps) / std::max(1e-9, train_seconds)},
                             {"ms_per_step", 1000.0 * train_seconds / static_cast<double>(std::max<int64_t>(1, steps))}}},
      {"breakdown", [&] {
         json::object b = phase_json(phases, breakdown_steps);
         b["steps"] = breakdown_steps;
         b["note"] = "separate pass, device synchronized between phases";
         return b;
       }()},
      {"eval", json::object{{"images", eval_source->size()},
                            {"batch", eval_batch},
                            {"seconds", eval_seconds},
                            {"images_per_s", static_cast<double>(eval_source->size()) / std::max(1e-9, eval_seconds)}}},
      {"peak_memory_bytes", peak_bytes},
      {"peak_memory_kind", peak_kind},
  };
  if (!stage.empty()) out["stage"] = stage;

  if (lead) {
    const auto& t = out["train"].as_object();
    const auto& b = out["breakdown"].as_object();
    std::printf("bench %s on %s (%s), batch %lld, %s, %s, %lld thread(s), %d rank(s)\n", o.model.c_str(),
                o.dataset.c_str(), data_note == "real" ? "real data" : "synthetic data", static_cast<long long>(o.batch),
                o.precision.c_str(), device.str().c_str(), static_cast<long long>(torch::get_num_threads()), comm->size());
    std::printf("  train  %10.1f images/s  %9.1f steps/s  %8.3f ms/step  (%lld steps)\n", t.at("images_per_s").as_double(),
                t.at("steps_per_s").as_double(), t.at("ms_per_step").as_double(), static_cast<long long>(steps));
    std::printf("  phases data %.3f  fwd+bwd %.3f  optimizer %.3f  all-reduce %.3f  ms/step (synced pass)\n",
                b.at("data_ms").as_double(), b.at("forward_backward_ms").as_double(), b.at("optimizer_ms").as_double(),
                b.at("allreduce_ms").as_double());
    std::printf("  eval   %10.1f images/s  (%lld images, batch %lld)\n", out["eval"].as_object().at("images_per_s").as_double(),
                static_cast<long long>(eval_source->size()), static_cast<long long>(eval_batch));
    if (!stage.empty())
      std::printf("  stage  %10.1f steps/s  (run_sgd_stage, %lld epochs, checkpoint every %lld)\n",
                  stage.at("steps_per_s").as_double(), static_cast<long long>(stage.at("epochs").as_int64()),
                  static_cast<long long>(job.checkpoint_every));
    std::printf("  peak memory %.1f MiB (%s)\n", static_cast<double>(peak_bytes) / (1024.0 * 1024.0), peak_kind.c_str());
    if (!o.json_path.empty()) {
      std::ofstream f(o.json_path);
      if (!f) throw Error("flag --json: cannot write " + o.json_path);
      f << pretty_json(out) << "\n";
    }
  }
  return 0;
}

CommandRegistration registration{
    {"bench",
     "--model M --dataset D [--batch 128] [--steps N] [--warmup W] [--precision fp32|tf32|bf16] [--augment] "
     "[--random-labels] [--channels-last] [--device D] [--threads T] [--ranks-per-job k] [--eval-images N] "
     "[--stage-epochs E] [--json FILE]",
     "time training and evaluation steps of the real hot path (images/s, ms per phase, peak memory)", run_bench,
     "  --model M --dataset D   what to time (required; bgm models lists the models)\n"
     "  --batch N           global batch (default 128)\n"
     "  --steps N           timed steps (default 0: 50; 20000 for the toy's 2-D points)\n"
     "  --warmup W          untimed steps first (default 5; 1000 for the toy)\n"
     "  --precision P       fp32 | tf32 | bf16 (default fp32; tf32/bf16 on CUDA)\n"
     "  --device D          cpu | cuda | cuda:N | auto (default auto)\n"
     "  --threads T         CPU threads for LibTorch and the BLAS (default 1)\n"
     "  --ranks-per-job k   data-parallel ranks under mpirun (default 0: all)\n"
     "  --backend B         auto | none | mpi | nccl (default auto)\n"
     "  --augment --random-labels --channels-last --no-cudnn-benchmark --no-lean-step   step variants\n"
     "  --eval-images N     images of the timed evaluation (default 0: the whole split)\n"
     "  --eval-batch N      its batch (default 0: the job's evaluation batch)\n"
     "  --stage-epochs E    epochs of a whole Algorithm-1 stage to time (default 500 for the toy, else 0)\n"
     "  --breakdown-steps N steps timed phase by phase (default min(steps, 20); 5000 for the toy)\n"
     "  --json FILE         write the measurements as JSON\n\n"
     "example: bgm bench --model mlp --dataset fashion-mnist --batch 128 --threads 1"}};

}  // namespace
}  // namespace bgm
