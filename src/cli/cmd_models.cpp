// `bgm models`: every model with its parameter count; by default for 10 classes at 3x32x32 (toy-mlp at its
// 2-D points, mlp also at Fashion-MNIST's 1x28x28), or at --classes N --input C,H,W. --json for scripts.
#include <cstdio>
#include <iostream>

#include <boost/json.hpp>

#include "cli/command.h"
#include "core/error.h"
#include "models/model_catalog.h"

namespace bgm {
namespace {

struct Row {
  const ModelFacts* model;
  InputShape input;
};

bool same_shape(const InputShape& a, const InputShape& b) {
  return a.channels == b.channels && a.height == b.height && a.width == b.width;
}

// With --input, every model that takes that kind of input (points or images, as `bgm run` allows).
std::vector<Row> rows_for(const InputShape* requested) {
  std::vector<Row> rows;
  const InputShape cifar{3, 32, 32};
  for (const auto& m : model_facts()) {
    if (requested) {
      if (requested->is_points() ? m.fully_connected : m.takes_images) rows.push_back({&m, *requested});
      continue;
    }
    if (m.takes_images) rows.push_back({&m, cifar});
    if (!same_shape(m.typical_input, cifar)) rows.push_back({&m, m.typical_input});
  }
  return rows;
}

std::string with_thousands(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

int run_models(const std::vector<std::string>& args) {
  const ParsedArgs a = parse_args(args, "models", {"--classes", "--input"}, {"--json"});
  if (!a.positional.empty()) throw Error("bgm models: takes no positional arguments, got '" + a.positional[0] + "'");
  const long long classes = a.get_int("--classes", 10);
  if (classes < 1) throw Error("flag --classes: expected a positive class count, got " + std::to_string(classes));
  InputShape requested;
  const bool has_input = a.has("--input");
  if (has_input) requested = parse_input_shape(a.get("--input"), "flag --input");

  boost::json::array json_rows;
  if (!a.has("--json")) std::printf("%-11s %-9s %7s %12s  %s\n", "model", "input", "classes", "parameters", "description");
  for (const auto& row : rows_for(has_input ? &requested : nullptr)) {
    ModelSpec spec;  // default width; the init does not change the count
    spec.name = row.model->name;
    spec.init = ModelInit::kPytorch03;
    int64_t parameters = 0;
    try {
      parameters = model_parameter_count(spec, row.input, classes);
    } catch (const std::exception& e) {  // e.g. an allocation that no machine has
      throw Error("flags --classes " + std::to_string(classes) + " / --input " + row.input.to_string() + ": cannot build " +
                  row.model->name + ": " + std::string(e.what()).substr(0, std::string(e.what()).find('\n')));
    }
    if (a.has("--json")) {
      json_rows.push_back(boost::json::object{
          {"name", row.model->name},
          {"description", row.model->description},
          {"input", boost::json::array{row.input.channels, row.input.height, row.input.width}},
          {"classes", classes},
          {"parameters", parameters}});
    } else {
      std::printf("%-11s %-9s %7lld %12s  %s\n", row.model->name.c_str(), row.input.to_string().c_str(), classes,
                  with_thousands(parameters).c_str(), row.model->description.c_str());
    }
  }
  if (a.has("--json")) std::cout << boost::json::serialize(boost::json::object{{"models", json_rows}}) << "\n";
  return 0;
}

CommandRegistration models_registration{{"models", "[--classes N] [--input C,H,W | F] [--json]",
                                  "list the models and their parameter counts (default: 10 classes, 3x32x32)",
                                  run_models,
                                  "  --classes N         output classes (default 10)\n"
                                  "  --input C,H,W | F   input shape, or F features for the MLPs (default: each model's own)\n"
                                  "  --json              one JSON document instead of the table\n\n"
                                  "example: bgm models --classes 100 --input 3,32,32"}};

}  // namespace
}  // namespace bgm
