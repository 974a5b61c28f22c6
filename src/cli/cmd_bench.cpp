// `bgm bench`: times the training step `bgm run` takes (train/train_step.h, through train/bench_loop.h) and
// evaluation on one model/dataset; prints a summary and writes JSON. Argument handling and reporting only.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include <boost/json.hpp>
#include <torch/torch.h>
#include <torch/version.h>

#include "cli/command.h"
#include "core/error.h"
#include "core/stopwatch.h"
#include "core/job_spec.h"
#include "data/batch_source.h"
#include "data/device_dataset.h"
#include "dist/communicator.h"
#include "models/classifier.h"
#include "train/bench_loop.h"
#include "train/precision.h"
#include "train/result_writer.h"
#include "train/sgd_stage.h"
#include "train/thread_limits.h"

namespace bgm {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// How long each measurement runs by default: the toy's steps take microseconds, an image step milliseconds.
constexpr int64_t kImageSteps = 50, kImageWarmup = 5, kImageBreakdownSteps = 20;
constexpr int64_t kToySteps = 20000, kToyWarmup = 1000, kToyBreakdownSteps = 5000, kToyStageEpochs = 500;

struct BenchOptions {
  std::string model, dataset, device = "auto", json_path, backend = "auto";
  Precision precision = Precision::kFp32;
  int64_t batch = 0, steps = 0, warmup = -1, threads = 1, ranks_per_job = 0, eval_images = 0, eval_batch = 0;
  int64_t stage_epochs = -1, breakdown_steps = -1;
  bool augment = false, random_labels = false, channels_last = false, cudnn_benchmark = true, lean_step = true;
};

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
  o.batch = a.get_int("--batch", 0);
  o.steps = a.get_int("--steps", 0);
  o.warmup = a.get_int("--warmup", -1);
  const std::string precision = a.get("--precision", "fp32");
  if (const auto p = parse_name<Precision>(precision)) o.precision = *p;
  else throw UsageError("flag --precision: expected " + choices_text<Precision>() + ", got '" + precision + "'");
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
  if (a.has("--batch") && o.batch < 1) throw Error("flag --batch: expected a positive batch size, got " + std::to_string(o.batch));
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

int run_bench(const std::vector<std::string>& args) {
  const BenchOptions o = parse_options(args);
  apply_thread_limits(static_cast<int>(o.threads));
  auto comm = make_communicator(o.backend, static_cast<int>(o.ranks_per_job));
  const bool points = o.dataset == "toy-gaussians";
  const JobSpec job = bench_job(o, points);
  const torch::Device device = pick_device(o.device, *comm);
  apply_precision(o.precision, device, "flag --precision");
  if (o.channels_last && !device.is_cuda()) throw Error("flag --channels-last: only on CUDA");
  if (device.is_cuda()) {  // as `bgm run` does
    at::globalContext().setBenchmarkCuDNN(o.cudnn_benchmark);
    at::globalContext().setDeterministicCuDNN(!o.cudnn_benchmark);
  }

  std::string data_note;
  const DeviceDataset data = bench_dataset(job, device, data_note);
  if (comm->rank() == 0) std::fprintf(stderr, "bgm bench: data %s\n", data_note.c_str());

  torch::manual_seed(0);
  Classifier model = make_model(job.model, data.shape, data.classes);
  model->to(device);
  if (o.channels_last) {
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
  }
  broadcast_model_state(*comm, *model, false);

  // Points (toy): Algorithm 1's random-label set with the job's SGD. Images: image_bench_sgd() on true labels, or
  // on Algorithm 1's set with --random-labels.
  const bool random_labels = points || o.random_labels;
  const SgdSpec sgd = points ? job.init.adversarial.sgd : image_bench_sgd();
  auto train_source = bench_train_source(data, job, random_labels, o.augment);
  const int64_t steps = o.steps > 0 ? o.steps : (points ? kToySteps : kImageSteps);
  const int64_t warmup = o.warmup >= 0 ? o.warmup : (points ? kToyWarmup : kImageWarmup);
  const int64_t breakdown_steps =
      o.breakdown_steps >= 0 ? o.breakdown_steps : std::min(steps, points ? kToyBreakdownSteps : kImageBreakdownSteps);
  const bool bf16 = o.precision == Precision::kBf16;
  const int64_t batch = o.batch > 0 ? o.batch : (points ? job.init.adversarial.sgd.batch_size : sgd.batch_size);

  model->train();
  BenchSteps loop(*model, *train_source, sgd, *comm, batch, bf16, o.channels_last, o.lean_step);
  for (int64_t i = 0; i < warmup; ++i) loop.step(nullptr);
  loop.drain();
  synchronize_device(device);
  reset_peak_memory(device);

  // Headline: no syncs inside the loop, one at the end.
  comm->barrier();
  auto start = Clock::now();
  for (int64_t i = 0; i < steps; ++i) loop.step(nullptr);
  loop.drain();
  synchronize_device(device);
  const double train_seconds = seconds_since(start);

  // Breakdown: the same steps with a sync after each phase.
  PhaseTimes phases;
  phases.synchronize = true;
  for (int64_t i = 0; i < breakdown_steps; ++i) loop.step(&phases);
  loop.drain();

  // Evaluation: evaluate() over the test split (or its first --eval-images), large batches, after a warm-up.
  const int64_t eval_images = o.eval_images > 0 ? std::min(o.eval_images, data.test.size()) : data.test.size();
  const DeviceSplit eval_split{data.test.inputs.slice(0, 0, eval_images), data.test.labels.slice(0, 0, eval_images)};
  auto eval_source = make_true_label_source(data, eval_split, false, job.augment);  // keeps a reference to the split
  const int64_t eval_batch = o.eval_batch > 0 ? o.eval_batch : job.eval.eval_batch_size;
  const double eval_seconds = time_evaluation(*model, *eval_source, eval_batch, *comm, bf16);
  const auto [peak_bytes, peak_kind] = peak_memory(device);

  json::object stage;
  const int64_t stage_epochs = o.stage_epochs >= 0 ? o.stage_epochs : (points ? kToyStageEpochs : 0);
  if (stage_epochs > 0) {
    if (!points) throw Error("flag --stage-epochs: the whole-stage timing is for the toy (--dataset toy-gaussians)");
    stage = time_toy_stage(*model, *train_source, job, stage_epochs, batch, o.lean_step, *comm);
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
      {"batch", batch},
      {"sgd", json::object{{"lr", sgd.lr}, {"momentum", sgd.momentum}, {"weight_decay", sgd.weight_decay}}},
      {"precision", name_of(o.precision)},
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
                             {"images_per_s", static_cast<double>(steps * batch) / std::max(1e-9, train_seconds)},
                             {"steps_per_s", static_cast<double>(steps) / std::max(1e-9, train_seconds)},
                             {"ms_per_step", 1000.0 * train_seconds / static_cast<double>(std::max<int64_t>(1, steps))}}},
      {"breakdown", phase_milliseconds(phases, breakdown_steps)},
      {"eval", json::object{{"images", eval_source->size()},
                            {"batch", eval_batch},
                            {"seconds", eval_seconds},
                            {"images_per_s", static_cast<double>(eval_source->size()) / std::max(1e-9, eval_seconds)}}},
      {"peak_memory_bytes", peak_bytes},
      {"peak_memory_kind", peak_kind},
  };
  if (!stage.empty()) out["stage"] = stage;

  if (comm->rank() == 0) {
    const auto& t = out["train"].as_object();
    const auto& b = out["breakdown"].as_object();
    std::printf("bench %s on %s (%s), batch %lld, %s, %s, %lld thread(s), %d rank(s)\n", o.model.c_str(),
                o.dataset.c_str(), data_note == "real" ? "real data" : "synthetic data", static_cast<long long>(batch),
                name_of(o.precision).c_str(), device.str().c_str(), static_cast<long long>(torch::get_num_threads()), comm->size());
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

CommandRegistration bench_registration{
    {"bench",
     "--model M --dataset D [--batch 128] [--steps N] [--warmup W] [--precision fp32|tf32|bf16] [--augment] "
     "[--random-labels] [--channels-last] [--device D] [--threads T] [--ranks-per-job k] [--eval-images N] "
     "[--stage-epochs E] [--json FILE]",
     "time training and evaluation steps of the real hot path (images/s, ms per phase, peak memory)", run_bench,
     "  --model M --dataset D   what to time (required; bgm models lists the models)\n"
     "  --batch N           global batch (default: the CIFAR schedule's 128; the toy's Algorithm-1 batch)\n"
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
