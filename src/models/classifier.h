// The interface every model implements, and the registry that builds one from a job's ModelSpec.
// Inputs are normalized float batches: [B, C, H, W] for images, [B, 2] for the toy points.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "core/job_spec.h"
#include "models/model_catalog.h"  // InputShape, the model table, parameter counts

namespace bgm {

// What a model was built from: enough to build another of the same architecture.
struct ModelBlueprint {
  ModelSpec spec;
  InputShape input;
  int64_t classes = 0;
};

// Submodules are registered in data-flow order. Module paths below are keys of named_modules(), e.g.
// "layer2.0.shortcut_conv". Naming rule: a Conv2d named "<a>conv<b>" whose output goes straight (and only) into a
// BatchNorm2d names that BN "<a>bn<b>" in the same parent (conv1/bn1, conv3_2/bn3_2, shortcut_conv/shortcut_bn).
// A BN that normalises something else (DenseNet's pre-activation BN-ReLU-conv, which reads a concatenation) is
// named "norm..." and is never paired, because it cannot be folded into one preceding conv.
struct ClassifierImpl : torch::nn::Module {
  virtual torch::Tensor forward(torch::Tensor x) = 0;

  // (conv path, bn path) for every BN that folds into its preceding conv: bn(conv(x)) == conv'(x) with
  // w' = w * g / sqrt(var + eps) and b' = (b - mean) * g / sqrt(var + eps) + beta, per output channel.
  // The default applies the naming rule above; in data-flow order.
  virtual std::vector<std::pair<std::string, std::string>> conv_bn_pairs() const;

  ModelBlueprint blueprint;  // set by make_model
};
using Classifier = std::shared_ptr<ClassifierImpl>;

// Builds the model with the current global torch RNG state (seed it first: W0 is a function of the seed).
// spec.init pytorch03: PyTorch 0.3's defaults, which the paper ran: conv/linear uniform +-1/sqrt(fan_in)
// (the same as LibTorch's), BN gamma ~ U(0,1), beta 0. libtorch: LibTorch's defaults, BN gamma 1.
// authors: pytorch03, except DenseNet's own init in the authors' code (conv ~ N(0, sqrt(2/(k*k*out_channels))),
// BN gamma 1, beta 0, linear bias 0). The model is on the CPU.
// Bad names, widths or shapes throw bgm::Error naming model.name / model.width.
Classifier make_model(const ModelSpec& spec, const InputShape& input, int64_t classes);

// Both clones leave the global torch RNG as it was, so calling them in the middle of a run (metrics, W0 reloads)
// does not shift the run's random stream.
// A model of the same architecture (from model.blueprint) on the CPU, in training mode, with freshly drawn
// weights; load the weights you need into it.
Classifier clone_architecture(const ClassifierImpl& model);
// The same architecture with a copy of the model's parameters and buffers, on the model's device and in its mode.
Classifier clone_with_weights(const ClassifierImpl& model);

int64_t count_parameters(const torch::nn::Module& module);

}  // namespace bgm
