#include "train/sgd_stage.h"

#include <chrono>
#include <cmath>
#include <csignal>

#include "core/content_hash.h"
#include "core/exact_json.h"
#include "core/error.h"
#include "core/stopwatch.h"
#include "core/json_reader.h"
#include "train/checkpoint.h"
#include "train/lean_mlp_step.h"
#include "train/precision.h"
#include "train/preemption.h"
#include "train/progress.h"
#include "train/sgd.h"
#include "train/thread_limits.h"
#include "train/train_step.h"

namespace bgm {

namespace {

using Clock = std::chrono::steady_clock;

// Seconds per part of a stage; kept in the checkpoint so that a resumed stage reports the whole stage.
struct StageTimes {
  double steps = 0, data = 0, curve_points = 0, norms = 0, stop_checks = 0, checkpoints = 0;

  boost::json::object to_json(double total) const {
    const double known = steps + curve_points + stop_checks + checkpoints;
    return boost::json::object{{"steps", steps},       {"data", data},
                               {"curve_points", curve_points}, {"norms", norms}, {"stop_checks", stop_checks},
                               {"checkpoints", checkpoints}, {"other", std::max(0.0, total - known)}};
  }
  void load(const boost::json::object& o) {
    for (auto [key, field] : {std::pair{"steps", &steps}, std::pair{"data", &data}, std::pair{"curve_points", &curve_points},
                              std::pair{"norms", &norms}, std::pair{"stop_checks", &stop_checks},
                              std::pair{"checkpoints", &checkpoints}})
      if (o.contains(key) && o.at(key).is_number()) *field = o.at(key).to_number<double>();
  }
};

// JSON cannot hold NaN or infinity: a diverged loss is recorded as null.
boost::json::value number_or_null(double v) {
  if (std::isfinite(v)) return v;
  return nullptr;
}

// The hardware a stage runs on, as far as it can change float rounding (not the host: identical nodes agree).
std::string machine_of(const torch::Device& device, Communicator& comm) {
  const auto blas = blas_record();
  return std::string(device.is_cuda() ? "cuda" : "cpu") + ", " + std::to_string(comm.size()) + " rank(s) (" +
         comm.backend() + "), " + std::to_string(torch::get_num_threads()) + " thread(s), BLAS " +
         std::string(blas.at("name").as_string());
}

// Ranks that resumed from different checkpoint generations (a file system showing them different files) would
// average gradients of different steps: every rank must hold rank 0's (epoch, step).
void check_ranks_resumed_alike(Communicator& comm, const StageState& state, const std::string& path) {
  if (comm.size() == 1) return;
  const double mine = static_cast<double>(state.epoch) * 1e6 + static_cast<double>(state.step);
  const double sum = comm.allreduce_sum(mine);
  const double disagree = comm.allreduce_sum(mine * comm.size() == sum ? 0.0 : 1.0);
  if (disagree > 0)
    throw Error(path + ": the ranks resumed from different checkpoints (this rank: epoch " + std::to_string(state.epoch) +
                " step " + std::to_string(state.step) + "); is the output folder the same shared file system on every node?");
}

}  // namespace

StageSettings StageSettings::of(const JobSpec& job) {
  return StageSettings{job.lean_step, job.eval.every, job.eval.eval_batch_size, job.eval.toy_grid};
}

void StageSettings::apply_to(JobSpec& job) const {
  job.lean_step = lean_step;
  job.eval.every = eval_every;
  job.eval.eval_batch_size = eval_batch_size;
  job.eval.toy_grid = toy_grid;
}

boost::json::object StageSettings::to_json() const {
  return boost::json::object{{"lean_step", lean_step}, {"eval_every", eval_every},
                             {"eval_batch_size", eval_batch_size}, {"toy_grid", toy_grid}};
}

StageSettings StageSettings::from_json(const boost::json::object& o, const std::string& source) {
  JsonReader r(o, source, "settings");
  StageSettings s;
  s.lean_step = r.get_bool("lean_step", s.lean_step);
  s.eval_every = r.get_int("eval_every", s.eval_every, 1, INT32_MAX);
  s.eval_batch_size = r.get_int("eval_batch_size", s.eval_batch_size, 1, INT32_MAX);
  s.toy_grid = r.get_int("toy_grid", s.toy_grid, 0, 100000);
  return s;
}

bool StageSettings::operator==(const StageSettings& o) const {
  return lean_step == o.lean_step && eval_every == o.eval_every && eval_batch_size == o.eval_batch_size &&
         toy_grid == o.toy_grid;
}

EvalResult evaluate(ClassifierImpl& model, const BatchSource& source, const EpochPlan& plan, int64_t batch_size,
                    Communicator& comm, bool bf16) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const auto [begin, end] = rank_shard(0, source.size(), comm.rank(), comm.size());
  const auto device = plan.order.device();
  torch::Tensor loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
  torch::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device));
  for (int64_t lo = begin; lo < end; lo += batch_size) {
    const int64_t hi = std::min(end, lo + batch_size);
    auto positions = torch::arange(lo, hi, torch::TensorOptions().dtype(torch::kInt64).device(device));
    Batch b = source.batch(plan, positions);
    AutocastScope autocast(bf16);
    auto logits = model.forward(b.inputs);
    loss_sum += torch::nn::functional::cross_entropy(
                    logits, b.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .to(torch::kFloat64);
    correct += logits.argmax(1).eq(b.labels).sum();
  }
  model.train(was_training);
  const double n = static_cast<double>(source.size());
  const double loss = comm.allreduce_sum(loss_sum.item<double>());
  const double hits = comm.allreduce_sum(static_cast<double>(correct.item<int64_t>()));
  return EvalResult{loss / n, 100.0 * hits / n};
}

StageSpec job_stage_spec(const JobSpec& job, const std::string& stage, const SgdSpec& sgd,
                         const std::string& checkpoint_path, const std::string& job_hash, bool quiet) {
  StageSpec spec;
  spec.stage = stage;
  spec.sgd = sgd;
  spec.seed = static_cast<uint64_t>(job.seed);
  spec.checkpoint_path = checkpoint_path;
  spec.checkpoint_every = job.checkpoint_every;
  spec.checkpoint_seconds = job.checkpoint_seconds;
  spec.job_hash = job_hash;
  spec.quiet = quiet;
  spec.bf16 = job.bf16();
  return spec;
}

void broadcast_model_state(Communicator& comm, torch::nn::Module& model, bool buffers_only) {
  if (comm.size() == 1) return;
  std::vector<torch::Tensor> tensors;
  if (!buffers_only)
    for (auto& p : model.parameters()) tensors.push_back(p);
  for (auto& b : model.buffers())
    if (b.is_floating_point()) tensors.push_back(b);
  if (tensors.empty()) return;
  std::vector<torch::Tensor> flat;
  for (auto& t : tensors) flat.push_back(t.detach().reshape({-1}));
  auto bucket = torch::cat(flat);
  comm.broadcast_(bucket, 0);
  torch::NoGradGuard no_grad;
  int64_t offset = 0;
  for (auto& t : tensors) {
    t.copy_(bucket.slice(0, offset, offset + t.numel()).view_as(t));
    offset += t.numel();
  }
}

StageOutcome run_sgd_stage(ClassifierImpl& model, const BatchSource& source, const StageSpec& spec,
                           StageSettings& settings, Communicator& comm, const EpochHook& hook) {
  std::vector<torch::Tensor> params = model.parameters();
  Sgd optimizer(params, spec.sgd.momentum, spec.sgd.weight_decay);
  StageState state;
  state.job_hash = spec.job_hash;
  state.stage = spec.stage;
  Progress progress(spec.stage, spec.sgd.epochs, spec.quiet || comm.rank() != 0);

  const std::string resumed_from = load_stage_checkpoint(spec.checkpoint_path, model, optimizer, state);
  const bool resumed = !resumed_from.empty();
  broadcast_model_state(comm, model, false);
  const boost::json::array resumed_curve = parse_exact(state.curve_json, spec.checkpoint_path).as_array();
  const auto extra = parse_json_text(state.extra_json, spec.checkpoint_path).as_object();
  bool stopped = extra.contains("stopped");
  StageTimes times;
  if (extra.contains("times") && extra.at("times").is_object()) times.load(extra.at("times").as_object());
  check_ranks_resumed_alike(comm, state, spec.checkpoint_path);
  if (extra.contains("settings") && extra.at("settings").is_object()) {
    const StageSettings started_with = StageSettings::from_json(extra.at("settings").as_object(), spec.checkpoint_path);
    if (!(started_with == settings))
      progress.message("keeping the settings this stage started with, " +
                       boost::json::serialize(started_with.to_json()) + " (this run asked for " +
                       boost::json::serialize(settings.to_json()) + ")");
    settings = started_with;
  }
  const std::string machine = machine_of(model.parameters().front().device(), comm);
  StageOutcome out;
  if (extra.contains("machine_changes") && extra.at("machine_changes").is_array())
    out.machine_changes = extra.at("machine_changes").as_array();
  if (extra.contains("machine") && extra.at("machine").is_string() && extra.at("machine").as_string() != machine) {
    const std::string change = "epoch " + std::to_string(state.epoch) + ": " +
                               std::string(extra.at("machine").as_string()) + " -> " + machine;
    progress.message("resuming on other hardware (float rounding may differ from an undisturbed run): " + change);
    out.machine_changes.emplace_back(change);
  }
  out.curve = resumed_curve;
  // The fault-injection harness reads these lines: each rerun must resume later than the one before.
  if (resumed)
    progress.message("resuming from " + resumed_from + " at epoch " + std::to_string(state.epoch) +
                     (state.step ? " step " + std::to_string(state.step) : ""));
  else
    progress.message("starting at epoch 0 (no checkpoint)");
  // train_seconds: the stage's wall time (steps, evaluations, checkpoints) summed over the processes that ran it;
  // a kill -9 loses the time since the last checkpoint, work redone after it counts again.
  const double seconds_before = state.seconds;
  const auto process_start = Clock::now();
  auto stage_seconds = [&] { return seconds_before + seconds_since(process_start); };
  // SIGTERM/SIGUSR1 reach the ranks at different steps: they agree (every few steps, one scalar all-reduce) so
  // that all stop at the same step and rank 0's checkpoint holds it.
  auto agreed_signal = [&](bool check_now) -> int {
    const int local = pending_preemption_signal();
    if (comm.size() == 1) return local;
    if (!check_now) return 0;
    const double any = comm.allreduce_sum(local ? 1.0 : 0.0);
    return any > 0 ? (local ? local : SIGTERM) : 0;
  };

  auto save = [&](int64_t epoch, int64_t step) {
    if (comm.rank() != 0) return;
    state.epoch = epoch;
    state.step = step;
    state.seconds = stage_seconds();
    state.curve_json = serialize_exact(out.curve);
    boost::json::object extra_out{{"times", times.to_json(state.seconds)}, {"settings", settings.to_json()},
                                  {"machine", machine}};
    if (!out.machine_changes.empty()) extra_out["machine_changes"] = out.machine_changes;
    if (stopped) extra_out["stopped"] = true;
    state.extra_json = boost::json::serialize(extra_out);
    const auto start = Clock::now();
    save_stage_checkpoint(spec.checkpoint_path, model, optimizer, state);
    times.checkpoints += seconds_since(start);
  };
  // Evaluates through the hook; returns whether the stop rule holds and the progress fragment.
  auto record = [&](int64_t epoch, double lr, double images_per_s, bool last, std::string* summary) -> bool {
    const auto start = Clock::now();
    broadcast_model_state(comm, model, true);
    auto report = hook(epoch, last);
    (report && report->record ? times.curve_points : times.stop_checks) += seconds_since(start);
    if (!report) return false;
    times.norms += report->norm_seconds;
    if (summary) *summary = report->summary;
    if (report->record) {
      report->row["epoch"] = epoch;
      report->row["lr"] = lr;
      report->row["seconds"] = stage_seconds();
      report->row["images_per_s"] = images_per_s;
      for (auto& kv : report->row)
        if (kv.value().is_double()) kv.value() = number_or_null(kv.value().as_double());
      out.curve.push_back(report->row);
    }
    return report->stop;
  };

  if (!resumed) stopped = record(0, scheduled_lr(spec.sgd, 1), 0, spec.sgd.epochs == 0, nullptr);

  const int64_t n = source.size(), global_batch = spec.sgd.batch_size;
  const int64_t steps = (n + global_batch - 1) / global_batch;
  const auto device = params.front().device();
  const std::unique_ptr<LeanMlpStep> lean = settings.lean_step ? LeanMlpStep::make(model, comm, optimizer) : nullptr;
  out.step_kernel = lean ? LeanMlpStep::kName : "libtorch";
  auto last_save = Clock::now();
  auto last_line = Clock::now() - std::chrono::hours(1);
  int64_t epochs_this_process = 0;
  TrainStep libtorch_step(model, optimizer, comm, spec.bf16);
  PhaseTimes phases;  // as launched: on CUDA the data phase counts the gathers' launches only
  model.train();
  for (int64_t epoch = state.epoch + 1; epoch <= spec.sgd.epochs && !stopped; ++epoch) {
    const auto epoch_start = Clock::now();
    const double lr = scheduled_lr(spec.sgd, epoch);
    const EpochPlan plan = source.plan_epoch(spec.seed, epoch);
    torch::Tensor running_loss = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
    double lean_loss = 0;
    if (lean) lean->begin_epoch(source, plan);
    const int64_t first_step = state.step;
    state.step = 0;
    for (int64_t step = first_step; step < steps; ++step) {
      const int64_t lo = step * global_batch, hi = std::min(n, lo + global_batch);
      if (lean) {
        lean_loss += lean->step_positions(lo, hi, lr);
      } else {
        libtorch_step.run(source, plan, lo, hi, lr, running_loss, &phases);
      }
      progress.step(epoch, step, steps, static_cast<double>(hi) / std::max(1e-9, seconds_since(epoch_start)));
      if (int s = agreed_signal((step + 1) % 16 == 0 || step + 1 == steps)) {
        save(epoch - 1, step + 1);  // step + 1 == steps: all steps done, the epoch's evaluation still due
        throw Preempted(s);
      }
    }
    times.steps += seconds_since(epoch_start);
    times.data += phases.data;
    phases = PhaseTimes{};
    const double processed = static_cast<double>(std::max<int64_t>(0, n - first_step * global_batch));
    const double loss_sum = lean ? lean_loss : (processed > 0 ? running_loss.item<double>() : 0.0);
    const double train_loss = processed > 0 ? loss_sum / processed : std::nan("");
    const double epoch_seconds = seconds_since(epoch_start);
    const double images_per_s = processed / std::max(1e-9, epoch_seconds);
    ++epochs_this_process;
    const bool last = epoch == spec.sgd.epochs;
    std::string summary;
    stopped = record(epoch, lr, images_per_s, last, &summary);
    // One line per epoch, but at most one a second for tiny epochs (the toy runs tens of thousands).
    if (last || stopped || seconds_since(last_line) >= 1.0) {
      progress.epoch_line(epoch, lr, train_loss, summary, images_per_s, stage_seconds(), epochs_this_process,
                          seconds_since(process_start));
      last_line = Clock::now();
    }
    out.epochs = epoch;
    const bool periodic = epoch % spec.checkpoint_every == 0 && seconds_since(last_save) >= spec.checkpoint_seconds;
    const int signal = agreed_signal(true);  // one that came during the evaluation: this epoch is kept
    if (stopped || last || periodic || signal) {
      save(epoch, 0);
      last_save = Clock::now();
    }
    if (signal) throw Preempted(signal);
  }
  if (out.epochs == 0) out.epochs = state.epoch;
  out.stopped_early = stopped && out.epochs < spec.sgd.epochs;
  out.seconds = stage_seconds();
  out.breakdown = times.to_json(out.seconds);
  return out;
}

}  // namespace bgm
