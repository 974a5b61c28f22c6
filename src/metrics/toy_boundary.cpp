// Grid predictions, margin proxy and fresh-point accuracy for the 2-D toy problem, as whole-tensor operations.
#include "metrics/toy_boundary.h"

#include <cstdio>
#include <limits>

#include "core/atomic_file.h"
#include "core/error.h"

namespace bgm {

namespace {

// Predicted classes of float points [n, 2], in chunks so a 400x400 grid never makes one huge activation.
torch::Tensor predict(ClassifierImpl& model, const torch::Tensor& points) {
  constexpr int64_t kChunk = 65536;
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < points.size(0); start += kChunk) {
    auto logits = model.forward(points.slice(0, start, std::min(points.size(0), start + kChunk)));
    if (logits.dim() == 1 || logits.size(1) == 1)
      parts.push_back(logits.reshape({-1}).gt(0).to(torch::kLong));
    else
      parts.push_back(logits.argmax(1));
  }
  return torch::cat(parts);
}

void check_points(const torch::Tensor& points, const torch::Tensor& labels, const std::string& what) {
  if (points.dim() != 2 || points.size(1) != 2)
    throw Error("toy boundary: " + what + " points must be [n, 2]");
  if (labels.dim() != 1 || labels.size(0) != points.size(0))
    throw Error("toy boundary: " + what + " labels must be [n] with one label per point");
}

}  // namespace

boost::json::object toy_boundary(ClassifierImpl& model, const torch::Tensor& train_points,
                                 const torch::Tensor& train_labels, const torch::Tensor& fresh_points,
                                 const torch::Tensor& fresh_labels, int64_t grid, const std::string& csv_path) {
  check_points(train_points, train_labels, "training");
  check_points(fresh_points, fresh_labels, "fresh");
  if (train_points.size(0) == 0) throw Error("toy boundary: no training points");
  if (grid < 2) throw Error("toy boundary: grid size must be at least 2 (got " + std::to_string(grid) + ")");

  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const auto param = model.parameters().front();
  const auto options = param.options();

  // Bounding box, widened on each side by kToyGridMarginFraction of its extent.
  auto cpu_points = train_points.to(torch::kCPU, torch::kFloat64);
  const auto low = std::get<0>(cpu_points.min(0));
  const auto high = std::get<0>(cpu_points.max(0));
  const double width = (high[0] - low[0]).item<double>(), height = (high[1] - low[1]).item<double>();
  const double x_min = low[0].item<double>() - kToyGridMarginFraction * width;
  const double x_max = high[0].item<double>() + kToyGridMarginFraction * width;
  const double y_min = low[1].item<double>() - kToyGridMarginFraction * height;
  const double y_max = high[1].item<double>() + kToyGridMarginFraction * height;
  const double cell_w = (x_max - x_min) / grid, cell_h = (y_max - y_min) / grid;

  // Cell centers, y slowest: row k = iy * grid + ix.
  auto steps = torch::arange(grid, torch::TensorOptions().dtype(torch::kFloat64)).add_(0.5);
  auto xs = steps * cell_w + x_min, ys = steps * cell_h + y_min;
  auto centers = torch::stack({xs.repeat({grid}), ys.repeat_interleave(grid)}, 1);  // [G*G, 2] float64 CPU
  auto grid_pred = predict(model, centers.to(options)).to(torch::kCPU);

  // Margin proxy: distances from every training point to every cell center, in chunks of points (<= 32 MiB each).
  auto labels = train_labels.to(torch::kCPU, torch::kLong);
  std::vector<torch::Tensor> nearest_parts;
  const int64_t chunk = std::max<int64_t>(1, (int64_t{1} << 22) / (grid * grid));
  for (int64_t start = 0; start < cpu_points.size(0); start += chunk) {
    const int64_t end = std::min(cpu_points.size(0), start + chunk);
    auto distances = torch::cdist(cpu_points.slice(0, start, end), centers);  // [chunk, G*G]
    auto same_class = grid_pred.unsqueeze(0).eq(labels.slice(0, start, end).unsqueeze(1));
    distances.masked_fill_(same_class, std::numeric_limits<double>::infinity());
    nearest_parts.push_back(std::get<0>(distances.min(1)));
  }
  auto nearest = torch::cat(nearest_parts);
  auto has_other = torch::isfinite(nearest);
  const int64_t measured = has_other.sum().item<int64_t>();

  auto fresh_pred = predict(model, fresh_points.to(options)).to(torch::kCPU);
  const int64_t fresh_correct = fresh_pred.eq(fresh_labels.to(torch::kCPU, torch::kLong)).sum().item<int64_t>();
  model.train(was_training);

  // CSV: coordinates to 7 significant digits (cells are >= 1e-3 of the box, so neighbours stay distinct).
  auto center_values = centers.contiguous();
  auto pred_values = grid_pred.contiguous();
  const double* c = center_values.data_ptr<double>();
  const int64_t* pred = pred_values.data_ptr<int64_t>();
  std::string csv = "x,y,pred\n";
  csv.reserve(static_cast<size_t>(grid * grid * 28));
  char line[96];
  for (int64_t k = 0; k < grid * grid; ++k) {
    std::snprintf(line, sizeof line, "%.7g,%.7g,%lld\n", c[2 * k], c[2 * k + 1], static_cast<long long>(pred[k]));
    csv += line;
  }
  write_file_atomic(csv_path, csv);

  boost::json::object out;
  out["grid_file"] = csv_path;
  out["grid_size"] = grid;
  out["bbox"] = {{"x_min", x_min}, {"x_max", x_max}, {"y_min", y_min}, {"y_max", y_max},
                 {"margin_fraction", kToyGridMarginFraction}};
  out["cell_width"] = cell_w;
  out["cell_height"] = cell_h;
  if (measured > 0) {
    auto finite = nearest.masked_select(has_other);
    out["margin_min"] = finite.min().item<double>();
    out["margin_mean"] = finite.mean().item<double>();
  } else {
    out["margin_min"] = nullptr;
    out["margin_mean"] = nullptr;
  }
  out["points_without_other_class"] = cpu_points.size(0) - measured;
  const int64_t fresh_n = fresh_points.size(0);
  out["fresh_accuracy"] = fresh_n ? 100.0 * static_cast<double>(fresh_correct) / static_cast<double>(fresh_n) : 0.0;
  out["fresh_points"] = fresh_n;
  return out;
}

void write_toy_points(const torch::Tensor& points, const torch::Tensor& labels, const std::string& csv_path) {
  auto p = points.to(torch::kCPU, torch::kFloat64).contiguous();
  auto l = labels.to(torch::kCPU, torch::kInt64).contiguous();
  std::string csv = "x,y,label\n";
  char line[96];
  for (int64_t i = 0; i < p.size(0); ++i) {
    std::snprintf(line, sizeof line, "%.6g,%.6g,%lld\n", p[i][0].item<double>(), p[i][1].item<double>(),
                  static_cast<long long>(l[i].item<int64_t>()));
    csv += line;
  }
  write_file_atomic(csv_path, csv);
}

}  // namespace bgm
