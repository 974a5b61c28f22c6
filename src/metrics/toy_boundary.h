// Toy decision boundaries (paper Fig. 1): the model's prediction on a regular grid around the 2-D training data,
// a margin proxy, and accuracy on fresh points from the same Gaussians.
#pragma once
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>
#include <torch/torch.h>

#include "models/classifier.h"

namespace bgm {

// Fraction of the data's extent added on each side of its bounding box, so the boundary is seen around the data.
constexpr double kToyGridMarginFraction = 0.10;

// The grid is grid x grid cells over the training points' bounding box widened by kToyGridMarginFraction of its
// width (height) on each side; a cell is represented by its center. The CSV "x,y,pred" has one row per cell, y
// slowest (row-major from the bottom-left), written atomically to csv_path ("": not written, e.g. on ranks other
// than the writer). Predictions are argmax of the logits,
// or logit > 0 for a single-output model.
// Margin proxy: for each training point, the Euclidean distance to the nearest cell center predicted as a class other
// than its label (a misclassified point gets the distance to a cell near it, not a negative number); min and mean over
// the points. Points for which no cell has another class are left out and counted in "points_without_other_class";
// the margins are null when no point has one.
// Returns {"grid_file", "grid_size", "bbox": {x_min,x_max,y_min,y_max,margin_fraction}, "cell_width",
// "cell_height", "margin_min", "margin_mean", "points_without_other_class", "fresh_accuracy" (percent), "fresh_points"}.
// Restores the model's train/eval mode.
boost::json::object toy_boundary(ClassifierImpl& model, const torch::Tensor& train_points,
                                 const torch::Tensor& train_labels, const torch::Tensor& fresh_points,
                                 const torch::Tensor& fresh_labels, int64_t grid, const std::string& csv_path);

// The training points with the labels the model was fitted to, as CSV "x,y,label" (Fig. 1's markers).
void write_toy_points(const torch::Tensor& points, const torch::Tensor& labels, const std::string& csv_path);

}  // namespace bgm
