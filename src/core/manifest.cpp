// Manifest expansion (base + parts + axes -> resolved jobs, two stages), completion checks and the
// documented GPU-hour cost model that `bgm list` prints.
#include "core/manifest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <boost/json.hpp>

#include "core/dataset_facts.h"
#include "core/error.h"
#include "core/json_reader.h"
#include "core/model_facts.h"
#include "core/result_schema.h"
#include "core/share_dir.h"

namespace bgm {

namespace json = boost::json;

namespace {

struct AxisValue {
  std::string label;
  json::object set;  // deep-merged into the job
};

struct Axis {
  std::string name;
  std::vector<AxisValue> values;
};

struct Part {
  std::string name;  // "" for a manifest without "parts"
  json::value base;
  std::vector<Axis> axes;
};

// {"a.b": v} -> {"a": {"b": v}}; `where` names the axis for errors.
json::object object_at_path(const std::string& dotted, const json::value& value, const std::string& where) {
  std::vector<std::string> keys;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted.find('.', start);
    keys.push_back(dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (keys.back().empty()) throw Error(where + ": key '" + dotted + "' has an empty path segment");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  json::value node = value;
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) node = json::object{{*it, node}};
  return node.as_object();
}

// How an axis value reads in tags: strings bare, numbers in their shortest exact form (0.01, not 1E-2).
std::string value_label(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_double()) {
    char buf[32];
    for (int precision = 1; precision <= 17; ++precision) {
      std::snprintf(buf, sizeof buf, "%.*g", precision, v.as_double());
      if (std::strtod(buf, nullptr) == v.as_double()) break;
    }
    return buf;
  }
  return json::serialize(v);
}

Axis parse_axis(const json::value& raw, const std::string& source, const std::string& path) {
  if (!raw.is_object()) throw Error(source + ": " + path + ": expected an axis object, got " + json_kind(raw));
  JsonReader r(raw.as_object(), source, path);
  Axis axis;
  const std::string key = r.get_string("key", std::string());
  axis.name = r.get_string("name", key);
  const json::value* values = r.raw("values");
  r.finish();  // first: a misspelt "key" is named as unknown, not reported as a missing name
  if (axis.name.empty()) r.fail("name", "an axis needs a \"name\" (or a \"key\", which also names it)");
  const std::string where = source + ": " + path + " (" + axis.name + ")";
  if (!values || !values->is_array() || values->as_array().empty())
    throw Error(where + ": values: expected a non-empty array");
  const json::array& list = values->as_array();
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + ": values[" + std::to_string(i) + "]";
    AxisValue v;
    if (!key.empty()) {  // {"key": "train.lr", "values": [0.1, 0.01]}
      v.label = value_label(list[i]);
      v.set = object_at_path(key, list[i], where);
    } else {  // {"name": "init", "values": [{"label": "random", "set": {...}}]}
      if (!list[i].is_object()) throw Error(at + ": expected {\"label\": ..., \"set\": {...}}, got " + json_kind(list[i]));
      JsonReader vr(list[i].as_object(), source, path + ".values[" + std::to_string(i) + "]");
      v.label = vr.get_string("label");
      const json::value* set = vr.raw("set");
      if (!set || !set->is_object()) vr.fail("set", "expected an object of job keys to override");
      v.set = set->as_object();
      vr.finish();
    }
    for (const auto& seen : axis.values)
      if (seen.label == v.label) throw Error(at + ": label '" + v.label + "' appears twice on this axis");
    axis.values.push_back(std::move(v));
  }
  return axis;
}

// Two axes of one name (e.g. two "seed" axes) would silently collapse into one's values.
void check_distinct_axes(const std::vector<Axis>& axes, const std::string& where) {
  for (size_t i = 0; i < axes.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (axes[i].name == axes[j].name)
        throw Error(where + ": two axes named '" + axes[i].name + "'; give one axis all its values");
}

std::vector<Axis> parse_axes(const json::value* raw, const std::string& source, const std::string& path) {
  std::vector<Axis> axes;
  if (!raw) return axes;
  if (!raw->is_array()) throw Error(source + ": " + path + ": expected an array of axes, got " + json_kind(*raw));
  for (size_t i = 0; i < raw->as_array().size(); ++i)
    axes.push_back(parse_axis(raw->as_array()[i], source, path + "[" + std::to_string(i) + "]"));
  return axes;
}

json::value read_base(JsonReader& r) {
  const json::value* base = r.raw("base");
  if (!base) return json::object{};
  if (!base->is_object()) throw Error(r.where("base") + ": expected a job object, got " + json_kind(*base));
  return *base;
}

constexpr double kSecondsPerStep = 2e-4;  // launch/optimizer overhead per SGD step, whatever the model

}  // namespace

const std::vector<ManifestJob>& Manifest::stage(const std::string& stage_name, const std::string& flag) const {
  if (stage_name == "init") return init_jobs;
  if (stage_name == "train") return train_jobs;
  throw Error(flag + ": expected 'init' or 'train', got '" + stage_name + "'");
}

json::value merge_json(const json::value& base, const json::value& overlay) {
  if (!overlay.is_object()) return overlay;
  if (!base.is_object()) return overlay;
  json::object out = base.as_object();
  for (const auto& kv : overlay.as_object()) {
    const std::string key(kv.key());
    auto it = out.find(key);
    if (it == out.end()) {
      out[key] = kv.value();
      continue;
    }
    json::value current = it->value();
    if (current.is_string() && kv.value().is_object()) {  // expand a shorthand so keys can be added to it
      if (key == "dataset" || key == "model") current = json::object{{"name", current}};
      else if (key == "init") current = json::object{{"kind", current}};
    }
    out[key] = merge_json(current, kv.value());
  }
  return out;
}

Manifest parse_manifest(const json::value& doc, const std::string& source, const std::string& output_override) {
  if (!doc.is_object()) throw Error(source + ": expected a manifest object, got " + json_kind(doc));
  JsonReader top(doc.as_object(), source);
  Manifest m;
  m.path = source;
  m.name = top.get_string("name", std::filesystem::path(source).stem().string());
  m.description = top.get_string("description", std::string());
  const json::value base = read_base(top);
  const std::vector<Axis> shared_axes = parse_axes(top.raw("axes"), source, "axes");

  std::vector<Part> parts;
  if (const json::value* raw = top.raw("parts")) {
    if (!raw->is_array() || raw->as_array().empty())
      throw Error(top.where("parts") + ": expected a non-empty array of {name, base, axes}");
    for (size_t i = 0; i < raw->as_array().size(); ++i) {
      const std::string path = "parts[" + std::to_string(i) + "]";
      const json::value& p = raw->as_array()[i];
      if (!p.is_object()) throw Error(source + ": " + path + ": expected an object, got " + json_kind(p));
      JsonReader pr(p.as_object(), source, path);
      Part part;
      part.name = pr.get_string("name");
      part.base = merge_json(base, read_base(pr));
      part.axes = shared_axes;
      for (auto& a : parse_axes(pr.raw("axes"), source, path + ".axes")) part.axes.push_back(std::move(a));
      check_distinct_axes(part.axes, source + ": " + path + " (with the top-level axes)");
      pr.finish();
      parts.push_back(std::move(part));
    }
  } else {
    check_distinct_axes(shared_axes, source + ": axes");
    parts.push_back(Part{"", base, shared_axes});
  }
  top.finish();

  std::map<std::string, std::string> seen_hash;  // job hash -> where it came from
  std::map<std::string, int64_t> init_of_key;    // adversarial key -> init index
  for (const Part& part : parts) {
    size_t combinations = 1;
    for (const auto& a : part.axes) combinations *= a.values.size();
    for (size_t c = 0; c < combinations; ++c) {
      // Mixed-radix counter: the first axis varies slowest, so a manifest reads in the order it lists.
      std::vector<size_t> pick(part.axes.size());
      size_t rest = c;
      for (size_t a = part.axes.size(); a-- > 0;) {
        pick[a] = rest % part.axes[a].values.size();
        rest /= part.axes[a].values.size();
      }
      json::value doc = part.base;
      std::string tag = part.name.empty() ? "" : "part=" + part.name;
      for (size_t a = 0; a < part.axes.size(); ++a) {
        const AxisValue& v = part.axes[a].values[pick[a]];
        doc = merge_json(doc, v.set);
        tag += (tag.empty() ? "" : " ") + part.axes[a].name + "=" + v.label;
      }
      if (!output_override.empty()) doc.as_object()["output"] = output_override;
      ManifestJob mj;
      mj.stage = "train";
      mj.index = static_cast<int64_t>(m.train_jobs.size());
      mj.tag = tag;
      mj.source = source + "#" + std::to_string(mj.index);
      try {
        mj.job = parse_job(doc, mj.source);
      } catch (const Error& e) {
        throw Error(std::string(e.what()) + " (the job made by " + (tag.empty() ? "the base alone" : tag) + ")");
      }
      if (mj.job.label.empty()) mj.job.label = m.name + (tag.empty() ? "" : ": " + tag);
      mj.id = job_hash(mj.job);
      mj.dir = run_dir(mj.job);
      auto [it, fresh] = seen_hash.emplace(mj.id, mj.source + " (" + tag + ")");
      if (!fresh)
        throw Error(mj.source + " (" + tag + "): the same job as " + it->second +
                    "; two axis values that change nothing would run one job twice");
      if (mj.job.init.is_adversarial()) {
        const std::string key = adversarial_key(mj.job);
        if (!init_of_key.count(key)) {
          ManifestJob init = mj;
          init.stage = "init";
          init.index = static_cast<int64_t>(m.init_jobs.size());
          init.id = key;
          init.dir = adversarial_dir(mj.job);
          init_of_key[key] = init.index;
          m.init_jobs.push_back(std::move(init));
        }
      }
      m.train_jobs.push_back(std::move(mj));
    }
  }
  return m;
}

Manifest load_manifest(const std::string& argument, const std::string& output_override) {
  const std::string path = resolve_manifest_path(argument);
  return parse_manifest(parse_json_file(path), path, output_override);
}

bool job_complete(const ManifestJob& job) {
  const std::string file = job.dir + "/result.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return false;
  try {
    const json::value doc = parse_json_file(file);
    if (!doc.is_object()) return false;
    const json::value* status = doc.as_object().if_contains(result_schema::key::kStatus);
    const json::value* id = doc.as_object().if_contains(result_schema::key::kJobId);  // guards against a stale or foreign file
    return status && status->is_string() && status->as_string() == result_schema::kComplete && id && id->is_string() &&
           id->as_string() == job.id;
  } catch (const Error&) {
    return false;  // unreadable: not complete, so it is run again
  }
}

double estimate_gpu_hours(const ManifestJob& mj, const Calibration* calibration, bool* calibrated) {
  const JobSpec& job = mj.job;
  const JobDataSize size = job_data_size(job);
  const int64_t train = size.train, test = size.test, pixels = size.pixels;
  const ModelFacts& model = model_facts_of(job.model.name);
  const double pixel_scale = model.convolutional() && pixels ? pixels / 1024.0 : 1.0;
  double rate = model.train_images_per_s / pixel_scale;
  double seconds_per_step = kSecondsPerStep;
  const CalibrationEntry* measured = calibration ? calibration->best(job.model.name, name_of(job.precision)) : nullptr;
  if (measured) {  // whole jobs were timed: their per-step overhead is inside the measured speed
    rate = measured->images_per_s / pixel_scale;
    seconds_per_step = 0;
  }
  if (calibrated) *calibrated = measured != nullptr;

  double seconds = 0;
  if (mj.stage == "init") {  // Algorithm 1: n*R images per epoch, accuracy on C at each check
    const SgdSpec& s = job.init.adversarial.sgd;
    const double per_epoch = static_cast<double>(train) * job.init.adversarial.replicas;
    const double steps = std::ceil(per_epoch / s.batch_size) * s.epochs;
    seconds = per_epoch * s.epochs / rate + steps * seconds_per_step +
              per_epoch * std::ceil(double(s.epochs) / s.check_every) / (3 * rate);
  } else {
    const SgdSpec& s = job.train;
    const double copies =  // the toy's noisy replicas, and the clean point where it is kept
        (!pixels && s.augment) ? job.augment.noise_copies + (job.augment.noise_keep_original ? 1 : 0) : 1;
    const double per_epoch = train * copies;
    const double steps = std::ceil(per_epoch / s.batch_size) * s.epochs;
    const double evals = std::ceil(double(s.epochs) / job.eval.every);
    seconds = per_epoch * s.epochs / rate + steps * seconds_per_step + (train + test) * evals / (3 * rate) +
              double(test) * job.eval.fgsm_eps.size() / rate +                  // FGSM: forward + backward
              double(job.eval.toy_grid) * job.eval.toy_grid / (3 * rate);       // decision-boundary grid, once
  }
  return seconds / 3600.0;
}

}  // namespace bgm
