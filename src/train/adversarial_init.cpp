#include "train/adversarial_init.h"

#include <chrono>
#include <cstdio>
#include <memory>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/job_lock.h"
#include "core/json_reader.h"
#include "data/alg1_draws.h"
#include "data/batch_source.h"
#include "dist/communicator.h"
#include "metrics/complexity_norms.h"
#include "metrics/toy_boundary.h"
#include "metrics/weight_distance.h"
#include "models/classifier.h"
#include "train/checkpoint.h"
#include "train/preemption.h"
#include "train/result_writer.h"
#include "train/sgd_stage.h"

namespace bgm {

namespace json = boost::json;
namespace field = result_schema::key;

namespace {

json::object compute(const JobSpec& job, const DeviceDataset& data, Communicator& comm, const torch::Device& device,
                     bool quiet, const AdversarialInitFiles& files) {
  const auto started = std::chrono::steady_clock::now();
  const std::string started_at = iso8601_now();
  const std::string& key = files.key;
  const AdversarialSpec& adv = job.init.adversarial;

  // W0R: the seed's random init, the same tensor the random-init runs of this seed start from.
  torch::manual_seed(job.seed);
  Classifier model = make_model(job.model, data.shape, data.classes);
  if (comm.rank() == 0 && !file_exists(files.w0r)) save_weights(*model, files.w0r);
  model->to(device);
  const WeightSnapshot w0r = snapshot(*model);
  json::object norms_init = complexity_norms(*model, data.shape);

  auto source = make_random_label_source(data, adv, job.alg1_memory_mb << 20);
  const EpochPlan eval_plan = source->plan_epoch(job.seed, -1);
  // The job that starts this W0A decides these; another job sharing it resumes with the same (StageSettings).
  StageSettings settings = StageSettings::of(job);
  auto hook = [&](int64_t epoch, bool last) -> std::optional<EpochReport> {
    const bool check = epoch == 0 || last || epoch % adv.sgd.check_every == 0;
    if (!check) return std::nullopt;
    const EvalResult on_c = evaluate(*model, *source, eval_plan, settings.eval_batch_size, comm, job.bf16());
    EpochReport r;
    r.row = json::object{{field::kTrainLoss, on_c.loss}, {field::kTrainAcc, on_c.accuracy}};
    char buf[64];
    std::snprintf(buf, sizeof buf, "acc on C %.2f%%", on_c.accuracy);
    r.summary = buf;
    r.stop = epoch > 0 && adv.sgd.stop_accuracy > 0 && on_c.accuracy >= adv.sgd.stop_accuracy;
    r.record = last || r.stop || epoch % settings.eval_every == 0;
    return r;
  };
  const StageSpec spec = job_stage_spec(job, "adversarial-init", adv.sgd, files.checkpoint, key, quiet);
  const StageOutcome outcome = run_sgd_stage(*model, *source, spec, settings, comm, hook);
  const json::object& last = outcome.curve.back().as_object();

  json::object metrics{{field::kDistance, json::object{{field::kW0rW0a, relative_distance(w0r, snapshot(*model))}}},
                       {field::kNorms, json::object{{field::kNormsInit, norms_init}, {field::kNormsFinal, complexity_norms(*model, data.shape)}}},
                       {"norm_definitions", norm_definitions()}};
  if (!data.image && settings.toy_grid > 0) {
    // Fig. 1b: the boundary of the model that memorised the random labels, margins against those labels.
    const auto n = data.train.size();
    auto index = torch::arange(n, torch::TensorOptions().dtype(torch::kInt64).device(device));
    auto labels = random_labels(index, torch::zeros_like(index), adv.label_seed, data.classes);
    metrics[field::kToy] = toy_boundary(*model, data.train.inputs, labels, data.test.inputs, data.test.labels,
                                  settings.toy_grid, comm.rank() == 0 ? files.dir + "/toy_grid.csv" : "");
    metrics[field::kToy].as_object()[field::kGridFile] = "toy_grid.csv";
    metrics[field::kToy].as_object()["labels"] = "random (the set C)";
    if (comm.rank() == 0) write_toy_points(data.train.inputs, labels, files.dir + "/toy_points.csv");
    metrics[field::kToy].as_object()[field::kPointsFile] = "toy_points.csv";
  }
  if (comm.rank() == 0) save_weights(*model, files.w0a);

  // What identifies W0A, plus what a reader groups by: Algorithm 1's pretraining is vanilla SGD.
  json::object identity = adversarial_identity(job);
  identity["mode"] = "vanilla";
  identity["behaviour"] = name_of(job.behaviour);
  json::object result =
      result_envelope(result_schema::kind::kAdversarialInit, key, identity, device, comm, started_at, started, outcome.seconds);
  result["timing"].as_object()["stage"] = outcome.breakdown;
  result["dataset"] = dataset_record(data);
  result[field::kCurve] = outcome.curve;
  result[field::kFinal] = json::object{{field::kEpochs, outcome.epochs},
                                 {field::kAccuracyOnC, last.at(field::kTrainAcc)},
                                 {"loss_on_c", last.at(field::kTrainLoss)},
                                 {"set_size", source->size()},
                                 {"step_kernel", outcome.step_kernel},
                                 {"stage_settings", settings.to_json()},
                                 {"set_storage", random_label_set_storage(*source)},
                                 {"reached_stop", outcome.stopped_early || (adv.sgd.stop_accuracy > 0 && last.at("train_acc").is_double() &&
                                                                            last.at("train_acc").as_double() >= adv.sgd.stop_accuracy)}};
  if (!outcome.machine_changes.empty()) result[field::kFinal].as_object()["machine_changes"] = outcome.machine_changes;
  result[field::kMetrics] = metrics;
  result["checkpoints"] = json::object{{"w0r", files.w0r}, {"w0a", files.w0a}};
  return result;
}

}  // namespace

json::object ensure_adversarial_init(const JobSpec& job, const AdversarialInitFiles& files, const DeviceDataset& data,
                                     Communicator& comm, const torch::Device& device, bool quiet) {
  const std::string& key = files.key;
  // Rank 0 holds the lock for the whole group; the others follow its decision.
  // done: 1 complete, 0 to compute, -signal when rank 0 stopped waiting for the lock (every rank leaves with it).
  std::unique_ptr<JobLock> lock;
  double state = 0;
  if (comm.rank() == 0) {
    try {
      lock = std::make_unique<JobLock>(files.lock, "the adversarial init " + files.dir, throw_if_preempted);
      remove_stale_temporaries(files.dir);
      state = result_is_complete(files.result, result_schema::kind::kAdversarialInit, key) ? 1.0 : 0.0;
      if (state > 0) remove_stage_checkpoints(files.checkpoint);  // left by a kill just after the result
    } catch (const Preempted& p) {
      state = -p.signal;
    }
  }
  auto done = torch::tensor({state}, torch::kFloat64);
  if (comm.backend() == "nccl") done = done.to(device).to(torch::kFloat32);
  comm.broadcast_(done, 0);
  if (done.item<double>() < 0) throw Preempted(static_cast<int>(-done.item<double>()));
  if (done.item<double>() > 0.5) {
    if (!quiet && comm.rank() == 0) std::fprintf(stderr, "[adversarial-init] reusing %s\n", files.dir.c_str());
    return parse_json_file(files.result).as_object();
  }
  json::object result = compute(job, data, comm, device, quiet, files);
  if (comm.rank() == 0) {
    write_result(files.result, result);
    remove_stage_checkpoints(files.checkpoint);
  }
  comm.barrier();
  return result;
}

}  // namespace bgm
