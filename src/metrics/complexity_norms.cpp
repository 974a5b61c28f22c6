// Frobenius, path and spectral norms of a classifier, with BatchNorm folded into the conv it follows.
#include "metrics/complexity_norms.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "core/error.h"
#include "models/pooling.h"

namespace bgm {

namespace {

// One BatchNorm seen as the per-channel affine map y = scale * x + shift it computes in eval mode.
struct BatchNormAffine {
  torch::nn::Module* module = nullptr;
  double eps = 0;
  torch::Tensor scale, shift;  // gamma / sqrt(var + eps), beta - scale * mean (before any conv bias is folded in)
};

// The BatchNorm's tensors and eps, or nullopt for any other module.
std::optional<BatchNormAffine> as_batchnorm(const std::string& path, torch::nn::Module& module) {
  double eps = 0;
  if (auto* bn = module.as<torch::nn::BatchNorm2d>())
    eps = bn->options.eps();
  else if (auto* bn1 = module.as<torch::nn::BatchNorm1d>())
    eps = bn1->options.eps();
  else
    return std::nullopt;
  auto params = module.named_parameters(false);
  auto buffers = module.named_buffers(false);
  if (!params.contains("weight") || !params.contains("bias"))
    throw Error("complexity norms: BatchNorm '" + path + "' has no affine weight/bias; the norms expect affine BN");
  if (!buffers.contains("running_mean") || !buffers.contains("running_var"))
    throw Error("complexity norms: BatchNorm '" + path + "' keeps no running statistics, so it cannot be folded");
  BatchNormAffine affine;
  affine.module = &module;
  affine.eps = eps;
  affine.scale = params["weight"] / (buffers["running_var"] + eps).sqrt();
  affine.shift = params["bias"] - affine.scale * buffers["running_mean"];
  return affine;
}

// `scale` [out] broadcast over the other dims of a weight [out, ...].
torch::Tensor per_output(const torch::Tensor& scale, const torch::Tensor& weight) {
  std::vector<int64_t> shape(weight.dim(), 1);
  shape[0] = scale.size(0);
  return scale.reshape(shape);
}

boost::json::value finite_or_null(double value) {
  if (std::isfinite(value)) return value;
  return nullptr;
}

// The model as the norms see it: each weight layer with its folded BN, and the BNs that stand alone.
struct FoldedModel {
  struct WeightLayer {
    std::string path;
    torch::nn::Module* module = nullptr;
    std::optional<BatchNormAffine> folded_bn;  // set when a BN follows this conv directly
  };
  std::vector<WeightLayer> weight_layers;   // modules owning a weight of rank >= 2 (conv, linear)
  std::vector<BatchNormAffine> lone_bns;    // BNs not paired with a conv (DenseNet's pre-activation BN)
};

FoldedModel fold(ClassifierImpl& model) {
  std::map<std::string, std::string> bn_of_conv, conv_of_bn;
  for (const auto& [conv, bn] : model.conv_bn_pairs()) {
    bn_of_conv[conv] = bn;
    conv_of_bn[bn] = conv;
  }
  std::map<std::string, BatchNormAffine> bn_by_path;
  FoldedModel folded;
  if (!model.named_parameters(/*recurse=*/false).is_empty())
    throw Error("complexity norms: the model holds parameters outside any layer; the norms only know layers");
  auto modules = model.named_modules("", /*include_self=*/false);
  for (const auto& item : modules) {
    torch::nn::Module& module = *item.value();
    if (auto bn = as_batchnorm(item.key(), module)) {
      if (conv_of_bn.count(item.key()))
        bn_by_path[item.key()] = *bn;
      else
        folded.lone_bns.push_back(*bn);
      continue;
    }
    auto own = module.named_parameters(false);
    if (own.is_empty()) continue;
    if (!own.contains("weight") || own["weight"].dim() < 2)
      throw Error("complexity norms: module '" + item.key() +
                  "' holds parameters but is neither a weight layer (conv, linear) nor a BatchNorm");
    folded.weight_layers.push_back({item.key(), &module, std::nullopt});
  }
  for (auto& layer : folded.weight_layers) {
    auto pair = bn_of_conv.find(layer.path);
    if (pair == bn_of_conv.end()) continue;
    auto bn = bn_by_path.find(pair->second);
    if (bn == bn_by_path.end())
      throw Error("complexity norms: conv_bn_pairs() names BatchNorm '" + pair->second + "' for '" + layer.path +
                  "', but the model has no BatchNorm there");
    layer.folded_bn = bn->second;
    bn_by_path.erase(bn);
  }
  if (!bn_by_path.empty())
    throw Error("complexity norms: conv_bn_pairs() pairs BatchNorm '" + bn_by_path.begin()->first +
                "' with a module that is not a weight layer");
  return folded;
}

// The weight and bias a conv/linear has once its BN is folded in (bias undefined when neither has one).
std::pair<torch::Tensor, torch::Tensor> folded_weight_and_bias(const FoldedModel::WeightLayer& layer) {
  auto own = layer.module->named_parameters(false);
  torch::Tensor weight = own["weight"];
  torch::Tensor bias = own.contains("bias") ? own["bias"] : torch::Tensor();
  if (!layer.folded_bn) return {weight, bias};
  const auto& bn = *layer.folded_bn;
  auto folded_bias = bias.defined() ? bn.shift + bn.scale * bias : bn.shift;
  return {weight * per_output(bn.scale, weight), folded_bias};
}

// Writes |w|^p into every parameter of the folded network and makes each BN compute |scale|^p x + |shift|^p,
// then sums the network's output on an all-ones input. `folded` and `folded_layers`
// hold copies of the original values, taken before the first call.
double path_norm(ClassifierImpl& model, const FoldedModel& folded, const InputShape& input, double p,
                 const std::vector<std::pair<torch::Tensor, torch::Tensor>>& folded_layers) {
  auto set_batchnorm = [p](const BatchNormAffine& bn, const torch::Tensor& scale, const torch::Tensor& shift) {
    auto params = bn.module->named_parameters(false);
    auto buffers = bn.module->named_buffers(false);
    buffers["running_mean"].zero_();
    buffers["running_var"].fill_(1.0);
    // (x - 0) / sqrt(1 + eps) * gamma: gamma carries sqrt(1 + eps) so the BN's own eps cancels.
    params["weight"].copy_(scale.abs().pow(p) * std::sqrt(1.0 + bn.eps));
    params["bias"].copy_(shift.abs().pow(p));
  };
  for (size_t i = 0; i < folded.weight_layers.size(); ++i) {
    const auto& layer = folded.weight_layers[i];
    auto own = layer.module->named_parameters(false);
    own["weight"].copy_(folded_layers[i].first.abs().pow(p));
    if (!layer.folded_bn) {
      if (own.contains("bias")) own["bias"].copy_(folded_layers[i].second.abs().pow(p));
      continue;
    }
    // The folded bias moves into the BN's beta (ResNet's convs have no bias of their own to hold it).
    if (own.contains("bias")) own["bias"].zero_();
    set_batchnorm(*layer.folded_bn, torch::ones_like(layer.folded_bn->scale), folded_layers[i].second);
  }
  for (const auto& bn : folded.lone_bns) set_batchnorm(bn, bn.scale, bn.shift);

  // Average pools are fixed weights 1/k: in the powered network they weigh (1/k)^p too.
  const ScopedPoolingWeightPower pooling(p);
  auto param = model.parameters().front();
  auto ones = input.is_points() ? torch::ones({1, input.channels}, param.options())
                                : torch::ones({1, input.channels, input.height, input.width}, param.options());
  const double total = model.forward(ones).sum().item<double>();
  return std::pow(total, 1.0 / p);
}

}  // namespace

double spectral_norm(const torch::Tensor& matrix, int64_t iterations) {
  TORCH_CHECK(matrix.dim() == 2, "spectral_norm expects a matrix");
  auto w = matrix.detach();
  auto generator = at::detail::createCPUGenerator(kPowerIterationSeed);
  auto v = torch::randn({w.size(1)}, generator, torch::TensorOptions().dtype(torch::kFloat64))
               .to(w.device(), w.scalar_type());
  v = v / v.norm();
  torch::Tensor sigma = torch::zeros({}, w.options());
  for (int64_t i = 0; i < iterations; ++i) {
    auto u = torch::mv(w, v);
    u = u / u.norm().clamp_min(1e-300);
    auto back = torch::mv(w.t(), u);
    sigma = back.norm();
    v = back / sigma.clamp_min(1e-300);
  }
  return sigma.item<double>();
}

boost::json::object complexity_norms_of_scratch(ClassifierImpl& scratch, const InputShape& input) {
  torch::NoGradGuard no_grad;
  scratch.eval();
  scratch.to(torch::kFloat64);
  const FoldedModel folded = fold(scratch);

  double squares = 0;
  for (const auto& param : scratch.parameters()) squares += param.pow(2).sum().item<double>();

  // Folded weights are copied once, before path_norm starts overwriting the originals they come from
  // (BatchNormAffine's scale and shift are computed tensors already, not views of the parameters).
  std::vector<std::pair<torch::Tensor, torch::Tensor>> folded_layers;
  double spectral_log10 = 0;
  for (const auto& layer : folded.weight_layers) {
    auto [weight, bias] = folded_weight_and_bias(layer);
    spectral_log10 += std::log10(spectral_norm(weight.reshape({weight.size(0), -1})));
    folded_layers.emplace_back(weight.clone(), bias.defined() ? bias.clone() : bias);
  }
  // A lone BN is the diagonal map diag(scale): its spectral norm is max |scale|.
  for (const auto& bn : folded.lone_bns) spectral_log10 += std::log10(bn.scale.abs().max().item<double>());
  const double l1 = path_norm(scratch, folded, input, 1.0, folded_layers);
  const double l2 = path_norm(scratch, folded, input, 2.0, folded_layers);

  boost::json::object out;
  out["frobenius"] = finite_or_null(std::sqrt(squares));
  out["l1_path"] = finite_or_null(l1);
  out["l2_path"] = finite_or_null(l2);
  out["spectral"] = finite_or_null(std::pow(10.0, spectral_log10));
  out["spectral_log10"] = finite_or_null(spectral_log10);
  return out;
}

boost::json::object complexity_norms(const ClassifierImpl& model, const InputShape& input) {
  Classifier copy = clone_with_weights(model);
  return complexity_norms_of_scratch(*copy, input);
}

boost::json::object norm_definitions() {
  boost::json::object d;
  d["frobenius"] = "sqrt of the sum of squares of every learnable parameter (conv/linear weights and biases, BatchNorm "
                   "gamma and beta; no running statistics), as stored, without folding";
  d["l1_path"] = "l1-path norm (Neyshabur et al. 2017): the network with every weight and bias w replaced by |w|, in "
                 "eval mode, applied to one all-ones input, output logits summed; BatchNorm folded first (see batchnorm); "
                 "see pooling";
  d["l2_path"] = "l2-path norm: as l1_path with |w|^2, and the square root of the summed output";
  d["pooling"] = "in the path norms an average pool over k inputs is a layer of weights 1/k, raised to p like every "
                 "other weight ((1/k)^p); a max pool has no weights and stays a max: of its window's path sums only "
                 "the largest continues (on the all-ones input, every path through the window that wins)";
  d["spectral"] = "spectral complexity: product over weight layers of the largest singular value of the weight "
                  "reshaped to [out, in*kh*kw] (convs) or [out, in] (linear), after BatchNorm folding; a BatchNorm "
                  "that is not folded contributes max |gamma/sqrt(var+eps)|; null when it overflows a double";
  d["spectral_log10"] = "log10 of spectral (sum of per-layer log10), finite where spectral overflows";
  d["batchnorm"] = "eval-mode BN is the affine map a*x + b with a = gamma/sqrt(running_var+eps), "
                   "b = beta - a*running_mean. A BN directly after a conv (ClassifierImpl::conv_bn_pairs) is folded "
                   "into it: w' = a*w per output channel, b' = b + a*conv_bias. A BN that follows no conv (DenseNet's "
                   "pre-activation BN on a concatenation) is a per-channel affine layer of its own, whose |a|^p and "
                   "|b|^p enter the path norms and whose max|a| enters the spectral product";
  d["spectral_method"] = "power iteration on W^T W, " + std::to_string(kPowerIterations) +
                         " iterations, start vector from a CPU generator seeded " + std::to_string(kPowerIterationSeed);
  d["precision"] = "float64 on a copy of the model";
  return d;
}

}  // namespace bgm
