// Reads result.json files written by `bgm run`; see README "Result JSON" for the contract.
#include "aggregate/result_reader.h"

#include <boost/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/job_spec.h"
#include "core/json_reader.h"
#include "core/result_schema.h"

namespace bgm {

namespace json = boost::json;
namespace key = result_schema::key;

namespace {

const json::object kNoObject;

const json::object& object_at(const json::object& parent, const char* key) {
  auto it = parent.find(key);
  return (it != parent.end() && it->value().is_object()) ? it->value().as_object() : kNoObject;
}

// Missing or null -> nullopt (a metric the job did not compute); any other non-number is an error.
std::optional<double> number_at(const json::object& parent, const char* key, const std::string& where) {
  auto it = parent.find(key);
  if (it == parent.end() || it->value().is_null()) return std::nullopt;
  const json::value& v = it->value();
  if (v.is_double()) return v.as_double();
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  throw Error(where + "." + key + ": expected a number, got " + json_kind(v));
}

NormValues read_norms(const json::object& o, const std::string& where) {
  NormValues out;
  for (const auto& kv : o)
    if (auto v = number_at(o, std::string(kv.key()).c_str(), where)) out[std::string(kv.key())] = *v;
  return out;
}

std::vector<double> number_list(const json::object& parent, const char* key, const std::string& where) {
  std::vector<double> out;
  auto it = parent.find(key);
  if (it == parent.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) throw Error(where + "." + key + ": expected an array, got " + json_kind(it->value()));
  for (const auto& v : it->value().as_array()) {
    if (v.is_double()) out.push_back(v.as_double());
    else if (v.is_int64()) out.push_back(static_cast<double>(v.as_int64()));
    else throw Error(where + "." + key + ": expected numbers, got " + json_kind(v));
  }
  return out;
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string joined(const std::string& folder, const std::string& file) {
  if (file.empty() || file[0] == '/' || folder.empty()) return file;
  return folder + "/" + file;
}

void read_identity(JsonReader& top, RunRecord& r) {
  JsonReader job = top.child(key::kJob);
  r.behaviour = job.get_string("behaviour", std::string("paper"));
  r.seed = job.get_int("seed");
  r.mode = job.get_string("mode");
  JsonReader dataset = job.child("dataset");
  r.dataset = dataset.get_string("name");
  r.train_subset = dataset.get_int("train_subset", 0);
  r.subset_pick = *parse_name<SubsetPick>(
      dataset.get_choice("subset_pick", names_of<SubsetPick>(), name_of(SubsetPick::kRandom)));
  JsonReader model = job.child("model");
  r.model = model.get_string("name");
  if (const int64_t width = model.get_int("width", 0)) r.model += std::to_string(width);
  JsonReader init = job.child("init");
  r.init_kind = init.get_choice("kind", {"random", "adversarial"});
  if (r.init_kind == "adversarial") {
    r.replicas = init.get_int("R");
    r.zero_fraction = init.get_double("zero_fraction");
  }
}

void flatten(const json::value& v, const std::string& path, std::map<std::string, std::string>& out) {
  if (v.is_object()) {
    for (const auto& kv : v.as_object()) flatten(kv.value(), path.empty() ? std::string(kv.key()) : path + "." + std::string(kv.key()), out);
  } else {
    out[path] = json::serialize(v);
  }
}

std::map<std::string, std::string> configuration_of(const json::object& top, int64_t seed) {
  std::map<std::string, std::string> out;
  try {
    json::object job = top.at(key::kJob).as_object();
    job["seed"] = 0;
    if (auto* init = job.if_contains("init"); init && init->is_object()) {
      auto& o = init->as_object();
      if (o.contains("label_seed") && o.at("label_seed").is_int64() && o.at("label_seed").as_int64() == seed) o["label_seed"] = 0;
    }
    flatten(job_identity(parse_job(job, "job")), "", out);
  } catch (const std::exception&) {
    out.clear();  // written by another bgm version: not checked
  }
  return out;
}

void read_metrics(const json::object& top, const std::string& shown, RunRecord& r) {
  const json::object& metrics = object_at(top, key::kMetrics);
  const json::object& distance = object_at(metrics, key::kDistance);
  for (const char* pair : {key::kInitFinal, key::kW0rFinal, key::kW0rW0a})
    for (const char* which : {"params", "state"})
      if (auto v = number_at(object_at(distance, pair), which, shown + ": metrics.distance." + pair))
        r.distance[pair][which] = *v;
  const json::object& norms = object_at(metrics, key::kNorms);
  for (const char* stage : {key::kNormsInit, key::kNormsFinal})
    if (norms.contains(stage)) r.norms[stage] = read_norms(object_at(norms, stage), shown + ": metrics.norms." + stage);
  const json::object& fgsm = object_at(metrics, key::kFgsm);
  r.fgsm_eps = number_list(fgsm, "eps", shown + ": metrics.fgsm");
  r.fgsm_accuracy = number_list(fgsm, "accuracy", shown + ": metrics.fgsm");
  if (r.fgsm_eps.size() != r.fgsm_accuracy.size())
    throw Error(shown + ": metrics.fgsm: eps and accuracy differ in length");
  const json::object& toy = object_at(metrics, key::kToy);
  if (auto it = toy.find(key::kGridFile); it != toy.end() && it->value().is_string())
    r.toy_grid_file = joined(r.folder, std::string(it->value().as_string()));
  if (auto it = toy.find(key::kPointsFile); it != toy.end() && it->value().is_string())
    r.toy_points_file = joined(r.folder, std::string(it->value().as_string()));
}

void read_curve(const json::object& top, const std::string& shown, RunRecord& r) {
  auto it = top.find(key::kCurve);
  if (it == top.end() || it->value().is_null()) return;
  if (!it->value().is_array()) throw Error(shown + ": curve: expected an array, got " + json_kind(it->value()));
  const json::array& rows = it->value().as_array();
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string where = shown + ": curve[" + std::to_string(i) + "]";
    if (!rows[i].is_object()) throw Error(where + ": expected an object, got " + json_kind(rows[i]));
    const json::object& row = rows[i].as_object();
    CurvePoint p;
    const auto epoch = number_at(row, key::kEpoch, where);
    if (!epoch) throw Error(where + ".epoch: required key is missing");
    p.epoch = static_cast<int64_t>(*epoch);
    p.train_acc = number_at(row, key::kTrainAcc, where);
    p.test_acc = number_at(row, key::kTestAcc, where);
    p.train_loss = number_at(row, key::kTrainLoss, where);
    p.test_loss = number_at(row, key::kTestLoss, where);
    p.norms = read_norms(object_at(row, key::kNorms), where + ".norms");
    r.curve.push_back(std::move(p));
  }
}

}  // namespace

RunRecord read_result_file(const std::string& path, const std::string& shown_path) {
  json::value doc;
  try {
    doc = parse_json_text(read_file(path), shown_path);
  } catch (const Error& e) {
    throw ResultProblem("unreadable", e.what());
  }
  if (!doc.is_object()) throw ResultProblem("unreadable", shown_path + ": top level: expected an object, got " + json_kind(doc));
  const json::object& top = doc.as_object();
  RunRecord r;
  r.path = shown_path;
  r.folder = folder_of(shown_path);
  try {
    JsonReader reader(top, shown_path);
    const std::string schema = reader.get_string(key::kSchema, std::string("(none)"));
    if (schema != result_schema::kSchema)
      throw ResultProblem("other-schema", "schema is '" + schema + "', this aggregator reads '" + result_schema::kSchema + "'");
    const std::string status = reader.get_string(key::kStatus, std::string("(none)"));
    if (status != result_schema::kComplete) throw ResultProblem("partial", "status is '" + status + "', not 'complete'");
    r.kind = reader.get_choice(key::kKind, {result_schema::kind::kTrain, result_schema::kind::kAdversarialInit});
    r.job_id = reader.get_string(key::kJobId);
    read_identity(reader, r);
    JsonReader final_numbers = reader.child(key::kFinal);
    r.epochs = final_numbers.get_int(key::kEpochs, 0);
    const json::object& fin = object_at(top, key::kFinal);
    r.train_acc = number_at(fin, key::kTrainAcc, shown_path + ": final");
    r.test_acc = number_at(fin, key::kTestAcc, shown_path + ": final");
    r.train_loss = number_at(fin, key::kTrainLoss, shown_path + ": final");
    r.test_loss = number_at(fin, key::kTestLoss, shown_path + ": final");
    r.accuracy_on_c = number_at(fin, key::kAccuracyOnC, shown_path + ": final");
    if (r.kind == result_schema::kind::kTrain && !r.test_acc) throw Error(shown_path + ": final.test_acc: required key is missing");
    read_metrics(top, shown_path, r);
    read_curve(top, shown_path, r);
    if (r.kind == result_schema::kind::kTrain) r.configuration = configuration_of(top, r.seed);
  } catch (const Error& e) {
    throw ResultProblem("unreadable", e.what());
  }
  return r;
}

}  // namespace bgm
