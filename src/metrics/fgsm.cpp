// FGSM accuracy sweep: one input gradient per batch, then one forward per eps.
#include "metrics/fgsm.h"

#include "core/error.h"

namespace bgm {

namespace {

// Puts the model in eval mode for the attack and gives the caller its mode back, whatever happens.
struct EvalModeScope {
  explicit EvalModeScope(torch::nn::Module& m) : module(m), was_training(m.is_training()) { module.eval(); }
  ~EvalModeScope() { module.train(was_training); }
  torch::nn::Module& module;
  bool was_training;
};

}  // namespace

boost::json::object fgsm_sweep(ClassifierImpl& model, const torch::Tensor& images_u8, const torch::Tensor& labels,
                               const torch::Tensor& mean, const torch::Tensor& std, const std::vector<double>& eps,
                               int64_t batch, const std::function<void()>& before_batch) {
  if (images_u8.scalar_type() != torch::kUInt8 || images_u8.dim() != 4)
    throw Error("fgsm: expected uint8 images [N,C,H,W]; FGSM works in pixel space and needs image data");
  if (labels.dim() != 1 || labels.size(0) != images_u8.size(0))
    throw Error("fgsm: expected one label per image");
  if (batch < 1) throw Error("fgsm: batch must be at least 1");
  for (double e : eps)
    if (!(e >= 0)) throw Error("fgsm: every eps must be >= 0 (got " + std::to_string(e) + ")");

  EvalModeScope eval_mode(model);
  torch::AutoGradMode gradients_on(true);  // the input gradient is needed even when the caller runs under NoGradGuard
  const auto device = images_u8.device();
  const auto channel_mean = mean.to(device, torch::kFloat32).reshape({1, -1, 1, 1});
  const auto channel_std = std.to(device, torch::kFloat32).reshape({1, -1, 1, 1});
  const auto targets = labels.to(device, torch::kLong);
  std::vector<torch::Tensor> correct(eps.size());
  for (auto& c : correct) c = torch::zeros({}, torch::TensorOptions().dtype(torch::kLong).device(device));

  const int64_t n = images_u8.size(0);
  for (int64_t start = 0; start < n; start += batch) {
    if (before_batch) before_batch();
    const int64_t end = std::min(n, start + batch);
    auto pixels = images_u8.slice(0, start, end).to(torch::kFloat32).div_(255.0);
    auto y = targets.slice(0, start, end);

    // Gradient with respect to the pixels only: autograd::grad leaves the parameters' .grad as they were.
    auto x = pixels.detach().requires_grad_(true);
    auto loss = torch::nn::functional::cross_entropy(
        model.forward((x - channel_mean) / channel_std), y,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    auto direction = torch::autograd::grad({loss}, {x})[0].sign();

    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < eps.size(); ++i) {
      auto attacked = (pixels + eps[i] * direction).clamp(0.0, 1.0);
      auto predicted = model.forward((attacked - channel_mean) / channel_std).argmax(1);
      correct[i] += predicted.eq(y).sum();
    }
  }

  boost::json::object out;
  out["space"] = "pixels in [0,1] before per-channel normalization; eps in the same units (k/255 = k grey levels)";
  out["loss"] = "cross-entropy of the true label, model in eval mode, x' = clamp(x + eps*sign(grad_x), 0, 1)";
  boost::json::array eps_json, accuracy_json;
  for (size_t i = 0; i < eps.size(); ++i) {
    eps_json.push_back(eps[i]);
    accuracy_json.push_back(n ? 100.0 * static_cast<double>(correct[i].item<int64_t>()) / static_cast<double>(n) : 0.0);
  }
  out["eps"] = std::move(eps_json);
  out["accuracy"] = std::move(accuracy_json);
  out["samples"] = n;
  return out;
}

}  // namespace bgm
