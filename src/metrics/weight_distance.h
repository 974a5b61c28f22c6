// Relative weight distance d(W1, W2) = ||W1 - W2||_F / ||W2||_F (paper section 3.3, Table 1), W2 the later model,
// over a named snapshot of a model, reported for parameters alone and for parameters plus BatchNorm running stats.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <torch/torch.h>

namespace bgm {

// (name, tensor) in named_parameters()/named_buffers() order, each a CPU clone in the tensor's own dtype.
// Holds every parameter and every BatchNorm running_mean / running_var; num_batches_tracked (a step counter,
// not a weight) is left out. Any other buffer throws bgm::Error naming it, so no tensor is classified by guess.
using WeightSnapshot = std::vector<std::pair<std::string, torch::Tensor>>;
WeightSnapshot snapshot(const torch::nn::Module& module);

// True for a BatchNorm running statistic ("...running_mean", "...running_var"): what "state" adds to "params".
bool is_batchnorm_statistic(const std::string& name);

// {"params": d over learnable parameters, "state": d over parameters + BN running mean/var}, in float64.
// `to` is the later model (the denominator). Names ending in num_batches_tracked are skipped in both, so a
// snapshot read from a full state_dict works too. Throws bgm::Error naming the first tensor whose name is missing
// on one side or whose shape differs, and when ||to|| is zero.
boost::json::object relative_distance(const WeightSnapshot& from, const WeightSnapshot& to);

}  // namespace bgm
