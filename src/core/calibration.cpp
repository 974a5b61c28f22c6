#include "core/calibration.h"

#include "core/error.h"
#include "core/json_reader.h"
#include "core/model_facts.h"

namespace bgm {

const CalibrationEntry* Calibration::best(const std::string& model, const std::string& precision) const {
  const CalibrationEntry* found = nullptr;
  for (const auto& e : entries)
    if (e.model == model && e.precision == precision && (!found || e.images_per_s > found->images_per_s)) found = &e;
  return found;
}

Calibration load_calibration(const std::string& path) {
  const boost::json::value doc = parse_json_file(path);
  JsonReader top = JsonReader::of(doc, path);
  Calibration c;
  c.path = path;
  if (top.get_string("schema") != "bgm-calibration/1")
    top.fail("schema", "expected \"bgm-calibration/1\" (the file make bench-gpu writes)");
  c.gpu = top.get_string("gpu");
  c.source = top.get_string("source", std::string());
  const boost::json::value* entries = top.raw("entries");
  if (!entries || !entries->is_array() || entries->as_array().empty())
    top.fail("entries", "expected a non-empty array of measurements");
  std::vector<std::string> models;
  for (const auto& m : model_facts()) models.push_back(m.name);  // the calibration measures models of the table
  const auto& list = entries->as_array();
  for (size_t i = 0; i < list.size(); ++i) {
    JsonReader e = JsonReader::of(list[i], path, "entries[" + std::to_string(i) + "]");
    CalibrationEntry entry;
    entry.model = e.get_choice("model", models);
    entry.precision = e.get_choice("precision", {"fp32", "tf32", "bf16"});
    entry.jobs_per_gpu = static_cast<int>(e.get_int("jobs_per_gpu", 1, 1, 64));
    entry.images_per_s = e.get_double("images_per_s", std::nullopt, 1e-9);
    e.raw("note");  // free text, allowed
    e.finish();
    c.entries.push_back(entry);
  }
  top.raw("machine");  // free-form record of where it was measured
  top.finish();
  return c;
}

}  // namespace bgm
