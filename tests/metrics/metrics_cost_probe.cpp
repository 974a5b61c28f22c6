// Not a check: a timing probe for the README ("costs stay small next to training"), disabled by default. Run with
//   build-metrics/bin/bgm_metrics_tests --gtest_also_run_disabled_tests --gtest_filter='*CostProbe*'
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include <boost/json/serialize.hpp>

#include "metrics/complexity_norms.h"
#include "metrics/fgsm.h"

namespace bgm {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(CostProbe, DISABLED_Resnet18NormsFgsmAgainstSgdSteps) {
  const torch::Device device = torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  const InputShape input{3, 32, 32};
  torch::manual_seed(0);
  Classifier model = make_model(ModelSpec{"resnet18", 0, ModelInit::kPytorch03}, input, 10);
  model->to(device);
  const int64_t images = 512, batch = 128;
  auto pixels = torch::randint(0, 256, {images, 3, 32, 32}).to(torch::kUInt8).to(device);
  auto labels = torch::randint(0, 10, {images}).to(torch::kLong).to(device);
  auto mean = torch::full({3}, 0.5), std = torch::full({3}, 0.25);
  auto sync = [&] { if (device.is_cuda()) torch::cuda::synchronize(); };

  // One SGD step on a batch of 128, the unit of training cost.
  torch::optim::SGD sgd(model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
  auto step = [&] {
    sgd.zero_grad();
    auto x = (pixels.slice(0, 0, batch).to(torch::kFloat32) / 255 - 0.5) / 0.25;
    torch::nn::functional::cross_entropy(model->forward(x), labels.slice(0, 0, batch)).backward();
    sgd.step();
  };
  model->train();
  step();  // warm-up
  sync();
  auto start = std::chrono::steady_clock::now();
  const int steps = 5;
  for (int i = 0; i < steps; ++i) step();
  sync();
  const double step_s = seconds_since(start) / steps;

  complexity_norms(*model, input);  // warm-up
  sync();
  start = std::chrono::steady_clock::now();
  auto norms = complexity_norms(*model, input);
  sync();
  const double norms_s = seconds_since(start);

  const std::vector<double> eps = {0, 1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0, 16 / 255.0};
  start = std::chrono::steady_clock::now();
  fgsm_sweep(*model, pixels, labels, mean, std, eps, 256);
  sync();
  const double fgsm_per_image_s = seconds_since(start) / images;

  std::printf("device %s: SGD step (batch %lld) %.3f s; complexity_norms %.3f s = %.1f steps; "
              "FGSM 6 eps %.2f ms/image = %.1f steps per 10k test images\n",
              device.str().c_str(), static_cast<long long>(batch), step_s, norms_s, norms_s / step_s,
              1e3 * fgsm_per_image_s, 1e4 * fgsm_per_image_s / step_s);
  std::printf("resnet18 at init: %s\n", boost::json::serialize(norms).c_str());
  SUCCEED();
}

}  // namespace
}  // namespace bgm
