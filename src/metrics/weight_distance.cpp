// Relative weight distances between two snapshots (Table 1): sums in float64 on the CPU.
#include "metrics/weight_distance.h"

#include <cmath>
#include <map>

#include "core/error.h"

namespace bgm {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shape_text(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t d = 0; d < t.dim(); ++d) text += (d ? "," : "") + std::to_string(t.size(d));
  return text + "]";
}

bool is_step_counter(const std::string& name) { return ends_with(name, "num_batches_tracked"); }

}  // namespace

bool is_batchnorm_statistic(const std::string& name) {
  return ends_with(name, "running_mean") || ends_with(name, "running_var");
}

WeightSnapshot snapshot(const torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  WeightSnapshot out;
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    out.emplace_back(item.key(), item.value().detach().to(torch::kCPU).clone());
  for (const auto& item : module.named_buffers(/*recurse=*/true)) {
    if (is_step_counter(item.key())) continue;
    if (!is_batchnorm_statistic(item.key()))
      throw Error("weight snapshot: buffer '" + item.key() +
                  "' is neither a parameter nor a BatchNorm running statistic; the distance does not know where it belongs");
    out.emplace_back(item.key(), item.value().detach().to(torch::kCPU).clone());
  }
  return out;
}

boost::json::object relative_distance(const WeightSnapshot& from, const WeightSnapshot& to) {
  std::map<std::string, const torch::Tensor*> from_by_name;
  for (const auto& [name, tensor] : from)
    if (!is_step_counter(name)) from_by_name[name] = &tensor;

  double diff_params = 0, norm_params = 0, diff_stats = 0, norm_stats = 0;
  size_t matched = 0;
  for (const auto& [name, later] : to) {
    if (is_step_counter(name)) continue;
    auto found = from_by_name.find(name);
    if (found == from_by_name.end())
      throw Error("weight distance: tensor '" + name + "' is in the later model but not in the earlier one");
    const torch::Tensor& earlier = *found->second;
    if (!earlier.sizes().equals(later.sizes()))
      throw Error("weight distance: tensor '" + name + "' has shape " + shape_text(earlier) + " in the earlier model but " +
                  shape_text(later) + " in the later one");
    auto a = earlier.to(torch::kCPU, torch::kFloat64);
    auto b = later.to(torch::kCPU, torch::kFloat64);
    const double diff = (a - b).pow(2).sum().item<double>();
    const double norm = b.pow(2).sum().item<double>();
    if (is_batchnorm_statistic(name)) {
      diff_stats += diff;
      norm_stats += norm;
    } else {
      diff_params += diff;
      norm_params += norm;
    }
    ++matched;
  }
  if (matched != from_by_name.size())
    for (const auto& [name, tensor] : from_by_name) {
      bool present = false;
      for (const auto& entry : to) present = present || entry.first == name;
      if (!present) throw Error("weight distance: tensor '" + name + "' is in the earlier model but not in the later one");
    }
  if (norm_params == 0)
    throw Error("weight distance: the later model's parameters are all zero, so the relative distance is undefined");

  boost::json::object out;
  out["params"] = std::sqrt(diff_params) / std::sqrt(norm_params);
  out["state"] = std::sqrt(diff_params + diff_stats) / std::sqrt(norm_params + norm_stats);
  return out;
}

}  // namespace bgm
