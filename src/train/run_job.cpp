#include "train/run_job.h"

#include <chrono>
#include <cstdio>
#include <memory>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/stopwatch.h"
#include "core/fault_injection.h"
#include "core/job_lock.h"
#include "core/utc_time.h"
#include "data/batch_source.h"
#include "data/device_dataset.h"
#include "dist/communicator.h"
#include "metrics/complexity_norms.h"
#include "metrics/fgsm.h"
#include "metrics/toy_boundary.h"
#include "metrics/weight_distance.h"
#include "models/classifier.h"
#include "train/adversarial_init.h"
#include "train/checkpoint.h"
#include "train/preemption.h"
#include "train/precision.h"
#include "train/result_writer.h"
#include "train/sgd_stage.h"
#include "train/thread_limits.h"

namespace bgm {

namespace json = boost::json;
namespace field = result_schema::key;

bool job_is_complete(const JobPaths& paths) {
  return result_is_complete(paths.result, result_schema::kind::kTrain, paths.id);
}

bool adversarial_init_is_complete(const JobPaths& paths) {
  return paths.adversarial &&
         result_is_complete(paths.init.result, result_schema::kind::kAdversarialInit, paths.init.key);
}

namespace {

// This process's seconds per part of the job (timing.job, README "Result JSON"): each lap adds the time since the
// previous one to a part; `add` times one call into a part.
struct JobParts {
  json::object seconds;
  SteadyClock::time_point last = SteadyClock::now();
  void lap(const char* part) {
    add_seconds(part, seconds_since(last));
    last = SteadyClock::now();
  }
  void add_seconds(const char* part, double s) {
    seconds[part] = (seconds.contains(part) ? seconds[part].as_double() : 0.0) + s;
  }
  template <typename F>
  auto add(const char* part, F&& f) {
    const auto start = SteadyClock::now();
    auto out = f();
    add_seconds(part, seconds_since(start));
    last = SteadyClock::now();
    return out;
  }
};

// A kill between writing a result and removing its stage's checkpoints leaves them behind; a later run of the
// job removes them under its lock instead of returning at once.
bool checkpoints_left(const std::string& checkpoint) {
  for (const auto& generation : stage_checkpoint_generations(checkpoint))
    if (file_exists(generation)) return true;
  return false;
}

std::string accuracy_summary(const EvalResult* train, const EvalResult* test) {
  char buf[96];
  if (test) std::snprintf(buf, sizeof buf, "train %6.2f%%  test %6.2f%%", train->accuracy, test->accuracy);
  else std::snprintf(buf, sizeof buf, "train %6.2f%%", train->accuracy);
  return buf;
}

}  // namespace

int run_job(const JobSpec& job, Communicator& comm, const RunOptions& options) {
  apply_thread_limits(static_cast<int>(job.threads));
  const bool lead = comm.rank() == 0;
  const bool quiet = options.quiet || !lead;
  const JobPaths paths = JobPaths::of(job);
  const std::string &id = paths.id, &dir = paths.dir, &result_path = paths.result;
  if (options.init_only && !job.init.is_adversarial()) {
    if (!quiet) std::fprintf(stderr, "bgm: %s has a random init: no adversarial-init stage to run\n", dir.c_str());
    return 0;
  }
  if (options.init_only ? adversarial_init_is_complete(paths) && !checkpoints_left(paths.init.checkpoint)
                        : job_is_complete(paths) && !checkpoints_left(paths.checkpoint)) {
    if (!quiet) std::fprintf(stderr, "bgm: already complete: %s\n", options.init_only ? paths.init.result.c_str() : result_path.c_str());
    return 0;
  }
  // One writer per job directory (rank 0 writes for the group); a killed writer's temporary files go.
  std::unique_ptr<JobLock> lock;
  double finished = 0;  // by the holder we waited for
  int preempted = 0;    // the signal that made rank 0 stop waiting for the lock: every rank leaves with it
  if (lead && !options.init_only) {
    try {
      lock = std::make_unique<JobLock>(paths.lock, "the job " + dir, throw_if_preempted);
      finished = job_is_complete(paths) ? 1 : 0;
      if (finished) remove_stage_checkpoints(paths.checkpoint);
      else remove_stale_temporaries(dir);
    } catch (const Preempted& p) {
      preempted = p.signal;
    }
  }
  if (comm.size() > 1 && !options.init_only) {
    finished = comm.allreduce_sum(finished);
    preempted = static_cast<int>(comm.allreduce_sum(preempted));
  }
  if (preempted) throw Preempted(preempted);
  if (finished > 0) {
    if (!quiet) std::fprintf(stderr, "bgm: already complete: %s\n", result_path.c_str());
    return 0;
  }
  const auto started = SteadyClock::now();
  const std::string started_at = iso8601_now();
  JobParts parts;
  parts.add_seconds("process_start", process_age_seconds());  // loading the libraries, parsing, waiting for the lock
  const torch::Device device = pick_device(job.device, comm);
  // cuDNN autotuning: a job's shapes are fixed, so the search pays once (not bitwise reproducible on GPUs anyway).
  // Without it, cuDNN's deterministic algorithms: the bits then repeat on one GPU, across resumes and K jobs a GPU.
  if (device.is_cuda()) {
    at::globalContext().setBenchmarkCuDNN(job.cudnn_benchmark);
    at::globalContext().setDeterministicCuDNN(!job.cudnn_benchmark);
  }
  apply_precision(job.precision, device, "precision");
  const DeviceDataset data = load_device_dataset(job, device);
  parts.lap("load_data");

  json::object adversarial;
  std::string w0r_path = paths.w0r, init_path = paths.w0r;
  if (paths.adversarial) {
    adversarial = ensure_adversarial_init(job, paths.init, data, comm, device, quiet);
    parts.lap("adversarial_init");
    if (options.init_only) return 0;
    fault_point("stage-between");
    w0r_path = paths.init.w0r;
    init_path = paths.init.w0a;
  }

  // W0R is a function of the seed alone: the same tensor as the pretraining of this seed starts from.
  torch::manual_seed(job.seed);
  Classifier model = make_model(job.model, data.shape, data.classes);
  if (!job.init.is_adversarial()) {
    if (lead && !file_exists(w0r_path)) save_weights(*model, w0r_path);
  } else {
    load_weights(*model, init_path);
  }
  model->to(device);
  const WeightSnapshot init_weights = snapshot(*model);
  parts.lap("model_init");
  const json::object norms_init = job.eval.norms ? parts.add("norms", [&] { return complexity_norms(*model, data.shape); }) : json::object{};

  auto train_source = make_true_label_source(data, data.train, job.train.augment, job.augment);
  // The authors' "train accuracy" of a DA run was measured on augmented samples; the paper's is clean.
  const bool augmented_eval = job.eval.train_accuracy_on == TrainAccuracyOn::kAugmented && job.train.augment;
  auto train_eval_source = make_true_label_source(data, data.train, augmented_eval, job.augment);
  auto test_source = make_true_label_source(data, data.test, false, job.augment);
  const EpochPlan test_plan = test_source->plan_epoch(job.seed, -1);
  const bool bf16 = job.bf16();

  StageSettings settings = StageSettings::of(job);  // a resumed stage's own, once run_sgd_stage has read them
  auto hook = [&](int64_t epoch, bool last) -> std::optional<EpochReport> {
    const bool eval_due = last || epoch % settings.eval_every == 0;
    const bool check_due = epoch > 0 && job.train.stop_accuracy > 0 && epoch % job.train.check_every == 0;
    if (!eval_due && !check_due) return std::nullopt;
    const EpochPlan train_plan = train_eval_source->plan_epoch(job.seed, augmented_eval ? epoch + 1000000000 : -1);
    const EvalResult train = evaluate(*model, *train_eval_source, train_plan, settings.eval_batch_size, comm, bf16);
    EpochReport r;
    r.stop = check_due && train.accuracy >= job.train.stop_accuracy;
    r.record = eval_due || r.stop;  // the epoch training stops at is always a curve point
    if (!r.record) {
      r.summary = accuracy_summary(&train, nullptr);
      return r;
    }
    const EvalResult test = evaluate(*model, *test_source, test_plan, settings.eval_batch_size, comm, bf16);
    r.row = json::object{{field::kTrainLoss, train.loss}, {field::kTrainAcc, train.accuracy}, {field::kTestLoss, test.loss},
                         {field::kTestAcc, test.accuracy}};
    if (job.eval.norms) {
      const auto start = SteadyClock::now();
      r.row[field::kNorms] = complexity_norms(*model, data.shape);
      r.norm_seconds = seconds_since(start);
    }
    r.summary = accuracy_summary(&train, &test);
    return r;
  };
  const StageSpec spec = job_stage_spec(job, "train", job.train, paths.checkpoint, id, quiet);
  parts.lap("model_init");
  const StageOutcome outcome = run_sgd_stage(*model, *train_source, spec, settings, comm, hook);
  const json::object& last = outcome.curve.back().as_object();
  parts.lap("train_stage");

  // Metrics of the final model (README "Metrics"). The stage's last checkpoint holds the final model, so a
  // preemption between or inside these phases leaves at once: the rerun redoes only the metrics.
  auto leave_if_preempted = [] {
    fault_point("final-metrics");
    throw_if_preempted();
  };
  leave_if_preempted();
  json::object distance{{field::kInitFinal, relative_distance(init_weights, snapshot(*model))}};
  {
    Classifier w0r = clone_architecture(*model);
    load_weights(*w0r, w0r_path);
    distance[field::kW0rFinal] = relative_distance(snapshot(*w0r), snapshot(*model));
  }
  parts.lap("distances");
  json::object metrics;
  if (!adversarial.empty()) distance[field::kW0rW0a] = adversarial.at(field::kMetrics).at(field::kDistance).at(field::kW0rW0a);
  metrics[field::kDistance] = distance;
  if (job.eval.norms) {
    leave_if_preempted();
    const json::object norms_final = parts.add("norms", [&] { return complexity_norms(*model, data.shape); });
    metrics[field::kNorms] = json::object{{field::kNormsInit, norms_init}, {field::kNormsFinal, norms_final}};
    metrics["norm_definitions"] = norm_definitions();
  }
  if (data.image && !job.eval.fgsm_eps.empty())
    metrics[field::kFgsm] = parts.add("fgsm", [&] {
      return fgsm_sweep(*model, data.test.inputs, data.test.labels, data.mean, data.std, job.eval.fgsm_eps,
                        settings.eval_batch_size, [] {
                          fault_point("fgsm-batch");
                          throw_if_preempted();
                        });
    });
  if (!data.image && settings.toy_grid > 0) {
    leave_if_preempted();
    metrics[field::kToy] = parts.add("toy_boundary", [&] {
      return toy_boundary(*model, data.train.inputs, data.train.labels, data.test.inputs, data.test.labels,
                          settings.toy_grid, lead ? dir + "/toy_grid.csv" : "");
    });
    metrics[field::kToy].as_object()[field::kGridFile] = "toy_grid.csv";
    if (lead) write_toy_points(data.train.inputs, data.train.labels, dir + "/toy_points.csv");
    metrics[field::kToy].as_object()[field::kPointsFile] = "toy_points.csv";
  }

  if (!lead) return 0;
  leave_if_preempted();
  save_weights(*model, paths.final_weights);
  parts.lap("save_weights");
  json::object checkpoints{{"w0r", w0r_path}, {"init", init_path}, {"final", paths.final_weights}};
  json::object init{{"kind", name_of(job.init.kind)}};
  if (!adversarial.empty()) {
    init["adversarial_key"] = adversarial.at("job_id");
    init["adversarial_result"] = paths.init.result;
    init["pretraining"] = adversarial.at("final");
  }
  JobSpec ran = job;  // with the settings the stage kept from its start
  settings.apply_to(ran);
  json::object result = result_envelope(result_schema::kind::kTrain, id, job_to_json(ran), device, comm, started_at, started, outcome.seconds);
  result["timing"].as_object()["stage"] = outcome.breakdown;
  result["timing"].as_object()["job"] = parts.seconds;
  result["dataset"] = dataset_record(data);
  result["init"] = init;
  result[field::kCurve] = outcome.curve;
  result[field::kFinal] = json::object{{field::kEpochs, outcome.epochs},
                                 {field::kTrainLoss, last.at(field::kTrainLoss)},
                                 {field::kTrainAcc, last.at(field::kTrainAcc)},
                                 {field::kTestLoss, last.at(field::kTestLoss)},
                                 {field::kTestAcc, last.at(field::kTestAcc)},
                                 {"stopped_early", outcome.stopped_early},
                                 {"step_kernel", outcome.step_kernel}};
  if (!outcome.machine_changes.empty()) result[field::kFinal].as_object()["machine_changes"] = outcome.machine_changes;
  result[field::kMetrics] = metrics;
  result["checkpoints"] = checkpoints;
  write_result(result_path, result);
  fault_point("result-written");
  remove_stage_checkpoints(paths.checkpoint);
  if (!quiet)
    std::fprintf(stderr, "bgm: done: %s (test %.2f%%, %.1f s)\n", result_path.c_str(),
                 last.at("test_acc").is_double() ? last.at("test_acc").as_double() : -1.0,
                 result.at("timing").at("seconds").as_double());
  return 0;
}

}  // namespace bgm
