#include "core/job_spec.h"

#include <cmath>

#include <boost/json.hpp>

#include "core/content_hash.h"
#include "core/dataset_facts.h"
#include "core/error.h"
#include "core/job_presets.h"
#include "core/json_reader.h"
#include "core/model_facts.h"

namespace bgm {

namespace json = boost::json;

namespace {

// A closed choice: its JSON spelling checked against the enum's names (errors list them), parsed once.
template <typename E>
E read_choice(JsonReader& r, const std::string& key, E fallback) {
  return *parse_name<E>(r.get_choice(key, names_of<E>(), name_of(fallback)));
}

std::vector<std::string> mode_names() {
  std::vector<std::string> names;
  for (const auto& m : mode_presets()) names.push_back(m.name);
  names.push_back("custom");
  return names;
}
std::vector<std::string> schedule_names() {
  std::vector<std::string> names;
  for (const auto& s : schedule_presets()) names.push_back(s.name);
  return names;
}

// Reads the SGD keys shared by "train" and "init", over the given defaults, and validates them.
SgdSpec read_sgd(JsonReader& r, SgdSpec s, bool with_augment) {
  s.epochs = r.get_int("epochs", s.epochs, 0, 10000000);
  s.batch_size = r.get_int("batch_size", s.batch_size, 1, 1 << 24);
  s.lr = r.get_double("lr", s.lr, 0.0, 1e3);
  if (!(s.lr > 0)) r.fail("lr", "must be > 0");
  s.milestones = r.get_int_list("milestones", s.milestones);
  s.gamma = r.get_double("gamma", s.gamma, 0.0, 1.0);
  s.momentum = r.get_double("momentum", s.momentum, 0.0, 0.999999);
  s.weight_decay = r.get_double("weight_decay", s.weight_decay, 0.0, 10.0);
  if (with_augment) s.augment = r.get_bool("augment", s.augment);
  s.stop_accuracy = r.get_double("stop_accuracy", s.stop_accuracy, 0.0, 100.0);
  s.check_every = r.get_int("check_every", s.check_every, 1, 1000000);
  int64_t previous = 0;
  for (int64_t m : s.milestones) {
    if (m <= previous) r.fail("milestones", "must be strictly increasing positive epochs");
    previous = m;
  }
  return s;
}

}  // namespace

json::object sgd_to_json(const SgdSpec& s) {
  json::array milestones;
  for (auto m : s.milestones) milestones.push_back(m);
  return json::object{{"epochs", s.epochs},     {"batch_size", s.batch_size},     {"lr", s.lr},
                      {"milestones", milestones}, {"gamma", s.gamma},             {"momentum", s.momentum},
                      {"weight_decay", s.weight_decay}, {"augment", s.augment},   {"stop_accuracy", s.stop_accuracy},
                      {"check_every", s.check_every}};
}

JobSpec parse_job(const json::value& doc, const std::string& source) {
  JobSpec job;
  JsonReader top = JsonReader::of(doc, source);
  job.label = top.get_string("label", std::string());
  job.behaviour = read_choice(top, "behaviour", Behaviour::kPaper);
  const bool authors = job.behaviour == Behaviour::kAuthors;

  // dataset: "name" or {name, root, train_subset, test_subset, toy_*}
  {
    const json::value* raw = top.raw("dataset");
    if (!raw) top.fail("dataset", "required key is missing (e.g. \"fashion-mnist\" or {\"name\": \"cifar10\"})");
    json::object holder;
    if (raw->is_string()) holder["name"] = raw->as_string();
    else if (!raw->is_object()) top.fail("dataset", "expected a name or an object, got " + json_kind(*raw));
    JsonReader r(raw->is_string() ? holder : raw->as_object(), source, "dataset");
    job.dataset.name = r.get_choice("name", dataset_name_list());
    const DatasetFacts& d = dataset_facts_of(job.dataset.name);
    job.dataset.root = r.get_string("root", default_data_root(d));
    job.dataset.train_subset = r.get_int("train_subset", 0, 0);
    job.dataset.test_subset = r.get_int("test_subset", 0, 0);
    job.dataset.subset_pick = read_choice(r, "subset_pick", SubsetPick::kRandom);
    if (job.dataset.subset_pick != SubsetPick::kRandom && job.dataset.train_subset == 0 && job.dataset.test_subset == 0)
      r.fail("subset_pick", "'" + name_of(job.dataset.subset_pick) + "' picks a subset, but train_subset and test_subset are 0");
    if (!d.image() || r.has("toy_points_per_class")) {
      // The authors' committed data (reference-implementation.md section 7): 50 + 50 points per class at
      // (0.2 -+ 0.65, 0.2) with std 0.15. The paper gives no numbers for the toy; ours are small-scale.md's.
      const ToyDataPreset& toy = authors ? kToyAuthors : kToyPaper;
      job.dataset.toy_points_per_class = r.get_int("toy_points_per_class", toy.points_per_class, 1, 10000000);
      job.dataset.toy_test_points_per_class =
          r.get_int("toy_test_points_per_class", toy.test_points_per_class, 1, 10000000);
      job.dataset.toy_center = r.get_double("toy_center", toy.center, 0.0, 1e6);
      job.dataset.toy_std = r.get_double("toy_std", toy.std_dev, 1e-9, 1e6);
      const std::vector<double> offset = r.get_double_list("toy_offset", std::vector<double>{toy.offset_x, toy.offset_y});
      if (offset.size() != 2 || !std::isfinite(offset[0]) || !std::isfinite(offset[1]))
        r.fail("toy_offset", "expected [x, y], two finite numbers added to both class means");
      job.dataset.toy_offset_x = offset[0];
      job.dataset.toy_offset_y = offset[1];
    }
    r.finish();
  }
  const DatasetFacts& data = dataset_facts_of(job.dataset.name);

  // model: "name" or {name, width, init}
  {
    const json::value* raw = top.raw("model");
    if (!raw) top.fail("model", "required key is missing (e.g. \"resnet18\")");
    json::object holder;
    if (raw->is_string()) holder["name"] = raw->as_string();
    else if (!raw->is_object()) top.fail("model", "expected a name or an object, got " + json_kind(*raw));
    JsonReader r(raw->is_string() ? holder : raw->as_object(), source, "model");
    std::vector<std::string> models;
    for (const auto& m : model_facts()) models.push_back(m.name);
    job.model.name = r.get_choice("name", models);
    job.model.width = r.get_int("width", 0, 0, 1 << 20);
    // "pytorch" meant LibTorch's gamma 1 before the paper's PyTorch 0.3 init became the default: say so, do not guess.
    if (const json::value* init = r.raw("init"); init && init->is_string() && init->as_string() == "pytorch")
      r.fail("init", "\"pytorch\" is now \"libtorch\" (BN gamma 1); the default \"pytorch03\" is the PyTorch 0.3 init "
                     "the paper ran (BN gamma ~ U(0,1))");
    job.model.init = read_choice(r, "init", authors ? ModelInit::kAuthors : ModelInit::kPytorch03);
    r.finish();
    const ModelFacts& model = model_facts_of(job.model.name);
    if (!model.takes_images && data.image()) top.fail("model", job.model.name + " takes 2-D points; use it with toy-gaussians");
    if (!model.fully_connected && !data.image())
      top.fail("model", job.model.name + " needs images; toy-gaussians works with toy-mlp or mlp");
  }

  job.seed = top.get_int("seed", 0, 0, INT32_MAX);

  // training schedule and mode
  job.schedule = top.get_choice("schedule", schedule_names(), data.schedule);
  const SchedulePreset& schedule = *find_schedule(job.schedule);
  job.mode = top.get_choice("mode", mode_names(), std::string("vanilla"));
  SgdSpec base = schedule.sgd;
  if (const ModePreset* m = find_mode(job.mode)) {
    base.augment = m->augment;
    base.weight_decay = m->l2 ? (authors ? schedule.l2_authors : schedule.l2) : 0.0;
    base.momentum = m->momentum ? schedule.momentum : 0.0;
  }
  {
    JsonReader r = top.child("train");
    job.train = read_sgd(r, base, true);
    r.finish();
    for (int64_t m : job.train.milestones)
      if (m > job.train.epochs && job.train.epochs > 0) r.fail("milestones", "epoch " + std::to_string(m) + " is past train.epochs");
  }
  // A preset name that the explicit keys contradict would mislabel the run in the tables.
  if (const ModePreset* m = find_mode(job.mode)) {
    const bool l2 = job.train.weight_decay > 0, mom = job.train.momentum > 0;
    if (m->augment != job.train.augment || m->l2 != l2 || m->momentum != mom) job.mode = "custom";
  }

  {
    JsonReader r = top.child("augment");
    job.augment = data.augment;
    job.augment.crop_padding = r.get_int("crop_padding", job.augment.crop_padding, 0, 64);
    job.augment.flip = r.get_bool("flip", job.augment.flip);
    job.augment.noise_copies = r.get_int("noise_copies", job.augment.noise_copies, 1, 1000);
    job.augment.noise_std = r.get_double("noise_std", authors ? kToyAuthors.noise_std : job.augment.noise_std, 0.0, 1e6);
    job.augment.noise_per_epoch = r.get_bool("noise_per_epoch", !authors);
    job.augment.noise_keep_original = r.get_bool("noise_keep_original", authors);
    r.finish();
  }

  // init: "random" | "adversarial" | {kind, R, zero_fraction, zero_unit, label_seed, <sgd keys>}
  {
    const json::value* raw = top.raw("init");
    json::object holder;
    if (!raw) holder["kind"] = "random";
    else if (raw->is_string()) holder["kind"] = raw->as_string();
    else if (!raw->is_object()) top.fail("init", "expected \"random\", \"adversarial\" or an object, got " + json_kind(*raw));
    JsonReader r((!raw || raw->is_string()) ? holder : raw->as_object(), source, "init");
    job.init.kind = *parse_name<InitKind>(r.get_choice("kind", names_of<InitKind>()));
    AdversarialSpec& a = job.init.adversarial;
    if (job.init.is_adversarial()) {
      a.replicas = r.get_int("R", data.replicas, 1, 100000);
      a.zero_fraction = r.get_double("zero_fraction", data.zero_fraction, 0.0, 0.999);
      a.zero_unit = read_choice(r, "zero_unit", authors ? ZeroUnit::kValue : ZeroUnit::kPixel);
      // The authors draw one label/mask set (seed 1) shared by every run; the paper implies one per run.
      a.label_seed = r.get_int("label_seed", authors ? 1 : job.seed, 0, INT32_MAX);
      SgdSpec adv = data.adversarial;
      if (authors) {  // ">= 99.99% checked every 25 epochs in eval mode" (adversarial_init_pre_train.py)
        adv.stop_accuracy = 99.99;
        adv.check_every = 25;
      }
      a.sgd = read_sgd(r, adv, false);
    } else {
      a = AdversarialSpec{};
    }
    r.finish();
  }

  {
    JsonReader r = top.child("eval");
    // The toy's stages run thousands of tiny epochs: a curve point every 100 is plenty.
    job.eval.every = r.get_int("every", data.image() ? 1 : 100, 1, 1000000);
    job.eval.train_accuracy_on =
        read_choice(r, "train_accuracy_on", authors ? TrainAccuracyOn::kAugmented : TrainAccuracyOn::kClean);
    job.eval.eval_batch_size = r.get_int("batch_size", 1000, 1, 1 << 24);
    job.eval.norms = r.get_bool("norms", true);
    const std::vector<double> default_eps =
        data.image() ? std::vector<double>{0.0, 1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0, 16 / 255.0} : std::vector<double>{};
    job.eval.fgsm_eps = r.get_double_list("fgsm_eps", default_eps);
    for (double e : job.eval.fgsm_eps)
      if (!(e >= 0 && e <= 1)) r.fail("fgsm_eps", "each epsilon must lie in [0, 1] (pixel units)");
    job.eval.toy_grid = r.get_int("toy_grid", data.image() ? 0 : 400, 0, 4000);
    r.finish();
  }

  // The runtime keys' defaults are JobSpec's own.
  const std::string precision = top.get_string("precision", name_of(job.precision));
  if (const auto p = parse_name<Precision>(precision)) job.precision = *p;
  else top.fail("precision", "'" + precision + "' is not " + choices_text<Precision>());
  job.output = top.get_string("output", job.output);
  if (job.output.empty()) top.fail("output", "expected a results folder, got an empty string");
  job.checkpoint_every = top.get_int("checkpoint_every", job.checkpoint_every, 1, 1000000);
  job.checkpoint_seconds = top.get_double("checkpoint_seconds", job.checkpoint_seconds, 0.0, 1e9);
  job.device = top.get_string("device", job.device);
  if (!(job.device == "auto" || job.device == "cpu" || job.device.rfind("cuda", 0) == 0))
    top.fail("device", "'" + job.device + "' is not auto, cpu, cuda or cuda:N");
  job.threads = top.get_int("threads", job.threads, 1, 1024);
  job.cudnn_benchmark = top.get_bool("cudnn_benchmark", job.cudnn_benchmark);
  job.lean_step = top.get_bool("lean_step", job.lean_step);
  job.alg1_memory_mb = top.get_int("alg1_memory_mb", job.alg1_memory_mb, 0, 1 << 30);
  top.finish();
  return job;
}

JobSpec load_job_file(const std::string& path) { return parse_job(parse_json_file(path), path); }

json::object job_to_json(const JobSpec& job) {
  json::object dataset{{"name", job.dataset.name},
                       {"root", job.dataset.root},
                       {"train_subset", job.dataset.train_subset},
                       {"test_subset", job.dataset.test_subset},
                       {"subset_pick", name_of(job.dataset.subset_pick)}};
  if (job.dataset.name == "toy-gaussians") {
    dataset["toy_points_per_class"] = job.dataset.toy_points_per_class;
    dataset["toy_test_points_per_class"] = job.dataset.toy_test_points_per_class;
    dataset["toy_center"] = job.dataset.toy_center;
    dataset["toy_std"] = job.dataset.toy_std;
    dataset["toy_offset"] = json::array{job.dataset.toy_offset_x, job.dataset.toy_offset_y};
  }
  json::object init{{"kind", name_of(job.init.kind)}};
  if (job.init.is_adversarial()) {
    const auto& a = job.init.adversarial;
    init["R"] = a.replicas;
    init["zero_fraction"] = a.zero_fraction;
    init["zero_unit"] = name_of(a.zero_unit);
    init["label_seed"] = a.label_seed;
    for (auto& kv : sgd_to_json(a.sgd))
      if (kv.key() != "augment") init[kv.key()] = kv.value();
  }
  json::array eps;
  for (double e : job.eval.fgsm_eps) eps.push_back(e);
  return json::object{
      {"label", job.label},
      {"behaviour", name_of(job.behaviour)},
      {"dataset", dataset},
      {"model", json::object{{"name", job.model.name}, {"width", job.model.width}, {"init", name_of(job.model.init)}}},
      {"seed", job.seed},
      {"init", init},
      {"mode", job.mode},
      {"schedule", job.schedule},
      {"train", sgd_to_json(job.train)},
      {"augment", json::object{{"crop_padding", job.augment.crop_padding},
                               {"flip", job.augment.flip},
                               {"noise_copies", job.augment.noise_copies},
                               {"noise_std", job.augment.noise_std},
                               {"noise_per_epoch", job.augment.noise_per_epoch},
                               {"noise_keep_original", job.augment.noise_keep_original}}},
      {"eval", json::object{{"every", job.eval.every},
                            {"train_accuracy_on", name_of(job.eval.train_accuracy_on)},
                            {"batch_size", job.eval.eval_batch_size},
                            {"norms", job.eval.norms},
                            {"fgsm_eps", eps},
                            {"toy_grid", job.eval.toy_grid}}},
      {"precision", name_of(job.precision)},
      {"output", job.output},
      {"checkpoint_every", job.checkpoint_every},
      {"checkpoint_seconds", job.checkpoint_seconds},
      {"device", job.device},
      {"threads", job.threads},
      {"cudnn_benchmark", job.cudnn_benchmark},
      {"lean_step", job.lean_step},
      {"alg1_memory_mb", job.alg1_memory_mb},
  };
}

namespace {

// Where the data lie is not part of a job's identity; nor is subset_pick at its default, so ids stay as they were
// before the key.
void erase_placement(json::object& dataset, const DatasetSpec& spec) {
  dataset.erase("root");
  if (spec.subset_pick == SubsetPick::kRandom) dataset.erase("subset_pick");
}

}  // namespace

json::object job_identity(const JobSpec& job) {
  json::object id = job_to_json(job);
  for (const char* key : {"label", "output", "checkpoint_every", "checkpoint_seconds", "device", "threads", "cudnn_benchmark",
                          "lean_step", "alg1_memory_mb"}) id.erase(key);
  erase_placement(id["dataset"].as_object(), job.dataset);
  id["eval"].as_object().erase("batch_size");
  if (job.precision == Precision::kFp32) id.erase("precision");  // the default leaves ids as they were before the key
  return id;
}

std::string job_hash(const JobSpec& job) { return content_hash(job_identity(job)); }

std::string job_dir_name(const JobSpec& job) {
  return job.dataset.name + "-" + job.model.name + (job.model.width ? std::to_string(job.model.width) : "") + "-" +
         name_of(job.init.kind) + "-" + job.mode + "-s" + std::to_string(job.seed) + "-" + job_hash(job).substr(0, 8);
}

std::string run_dir(const JobSpec& job) { return job.output + "/runs/" + job_dir_name(job); }

json::object adversarial_identity(const JobSpec& job) {
  const json::object full = job_to_json(job);
  json::object dataset = full.at("dataset").as_object();
  erase_placement(dataset, job.dataset);
  json::object id{{"dataset", dataset}, {"model", full.at("model")}, {"seed", job.seed}, {"init", full.at("init")}};
  if (job.precision != Precision::kFp32) id["precision"] = name_of(job.precision);  // Algorithm 1's pretraining runs in it too
  return id;
}

std::string adversarial_key(const JobSpec& job) { return content_hash(adversarial_identity(job)); }

std::string adversarial_dir(const JobSpec& job) {
  return job.output + "/adversarial-init/" + job.dataset.name + "-" + job.model.name +
         (job.model.width ? std::to_string(job.model.width) : "") + "-s" + std::to_string(job.seed) + "-R" +
         std::to_string(job.init.adversarial.replicas) + "-" + adversarial_key(job).substr(0, 8);
}

}  // namespace bgm
