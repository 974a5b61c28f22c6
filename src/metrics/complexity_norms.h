// Complexity norms of a classifier (paper section 3.6, Fig. 5): Frobenius, l1-/l2-path (Neyshabur et al. 2017) with
// BatchNorm folded into its conv, and spectral complexity; cheap enough to record at every evaluation.
#pragma once
#include <cstdint>

#include <boost/json/object.hpp>
#include <torch/torch.h>

#include "models/classifier.h"

namespace bgm {

// {"frobenius", "l1_path", "l2_path", "spectral", "spectral_log10"}, computed in float64 on a copy of the model
// (clone_with_weights), so the model, its mode and the global RNG are untouched. A value too large for a double
// is written as null; spectral_log10 stays finite.
boost::json::object complexity_norms(const ClassifierImpl& model, const InputShape& input);

// The same, computed on `scratch` itself: it is converted to float64 and its weights are overwritten. For models
// that make_model cannot rebuild (tests), and used by complexity_norms on its copy.
boost::json::object complexity_norms_of_scratch(ClassifierImpl& scratch, const InputShape& input);

// What each number above means, for the result JSON (stored once per result).
boost::json::object norm_definitions();

// Largest singular value of a 2-D tensor by power iteration on W^T W: a fixed number of iterations from a start
// vector drawn from its own seeded generator (the global RNG is not touched). A lower bound that converges from below.
constexpr int64_t kPowerIterations = 200;
constexpr uint64_t kPowerIterationSeed = 20170601;
double spectral_norm(const torch::Tensor& matrix, int64_t iterations = kPowerIterations);

}  // namespace bgm
