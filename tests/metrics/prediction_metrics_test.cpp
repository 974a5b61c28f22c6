// FGSM and toy decision boundaries on linear models whose flips and boundary are known in advance.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/atomic_file.h"
#include "metrics/fgsm.h"
#include "metrics/toy_boundary.h"

namespace bgm {
namespace {

std::vector<double> numbers(const boost::json::value& list) {
  std::vector<double> out;
  for (const auto& v : list.as_array()) out.push_back(v.to_number<double>());
  return out;
}

// Two pixels per image (1x1x2); logit_0 - logit_1 = 2 (z0 - z1) on normalized z, so class 0 iff pixel0 > pixel1.
struct PixelComparator : ClassifierImpl {
  torch::nn::Linear fc{nullptr};
  PixelComparator() {
    fc = register_module("fc", torch::nn::Linear(2, 2));
    torch::NoGradGuard no_grad;
    fc->weight.copy_(torch::tensor({1.0f, -1.0f, -1.0f, 1.0f}).reshape({2, 2}));
    fc->bias.zero_();
  }
  torch::Tensor forward(torch::Tensor x) override { return fc(x.flatten(1)); }
};

TEST(Fgsm, FlipsExactlyWhereTheGapIsSmallerThanTwoEps) {
  PixelComparator model;
  model.train();
  // (pixel0, pixel1, label). The attack moves both pixels eps toward the other class, so a correctly classified
  // image flips when its gap |pixel0 - pixel1| < 2 eps (in grey levels).
  const std::vector<std::array<int, 3>> rows = {
      {103, 100, 0},  // gap 3
      {110, 100, 0},  // gap 10
      {130, 100, 0},  // gap 30
      {100, 120, 1},  // gap 20
      {95, 100, 0},   // wrong from the start; the attack cannot fix it
  };
  auto images = torch::zeros({5, 1, 1, 2}, torch::kUInt8);
  auto labels = torch::zeros({5}, torch::kLong);
  for (int i = 0; i < 5; ++i) {
    images[i][0][0][0] = rows[i][0];
    images[i][0][0][1] = rows[i][1];
    labels[i] = rows[i][2];
  }
  auto mean = torch::tensor({0.5f}), std = torch::tensor({0.5f});
  const std::vector<double> eps = {0, 1 / 255.0, 2 / 255.0, 8 / 255.0, 16 / 255.0};
  for (int64_t batch : {2, 5}) {
    auto result = fgsm_sweep(model, images, labels, mean, std, eps, batch);
    EXPECT_EQ(numbers(result.at("eps")), eps);
    // eps 0: 4 of 5; 1: no gap < 2; 2: gap 3 flips; 8: gaps 3, 10; 16: every gap < 32.
    EXPECT_EQ(numbers(result.at("accuracy")), (std::vector<double>{80, 80, 60, 40, 0})) << "batch " << batch;
    EXPECT_EQ(result.at("samples").as_int64(), 5);
  }
  EXPECT_TRUE(model.is_training());
  EXPECT_FALSE(model.fc->weight.grad().defined());
}

TEST(Fgsm, EpsZeroIsTheCleanAccuracy) {
  torch::manual_seed(3);
  PixelComparator model;
  torch::NoGradGuard no_grad;
  model.fc->weight.copy_(torch::randn({2, 2}));
  model.fc->bias.copy_(torch::randn({2}));
  auto images = torch::randint(0, 256, {300, 1, 1, 2}).to(torch::kUInt8);
  auto labels = torch::randint(0, 2, {300}).to(torch::kLong);
  auto mean = torch::tensor({0.3f}), std = torch::tensor({0.2f});
  // Clean accuracy the way the trainer evaluates: u8 -> [0,1] -> (x - mean) / std, eval mode.
  model.eval();
  auto unit = images.to(torch::kFloat32).div_(255.0);
  auto clean = model.forward((unit - mean.reshape({1, -1, 1, 1})) / std.reshape({1, -1, 1, 1})).argmax(1);
  const double clean_accuracy = 100.0 * clean.eq(labels).sum().item<int64_t>() / 300.0;
  // Still under NoGradGuard: fgsm_sweep turns gradients on for itself.
  auto result = fgsm_sweep(model, images, labels, mean, std, {0.0, 4 / 255.0}, 300);
  auto accuracy = numbers(result.at("accuracy"));
  EXPECT_EQ(accuracy[0], clean_accuracy);
  EXPECT_LE(accuracy[1], accuracy[0]);
}

TEST(Fgsm, RefusesFloatImages) {
  PixelComparator model;
  EXPECT_THROW(fgsm_sweep(model, torch::zeros({1, 1, 1, 2}), torch::zeros({1}, torch::kLong), torch::zeros({1}),
                          torch::ones({1}), {0.0}, 1),
               std::runtime_error);
}

// Class 1 iff x > 0 (or always class 0 when `constant`).
struct VerticalBoundary : ClassifierImpl {
  torch::nn::Linear fc{nullptr};
  explicit VerticalBoundary(bool constant = false) {
    fc = register_module("fc", torch::nn::Linear(2, 2));
    torch::NoGradGuard no_grad;
    fc->weight.copy_(torch::tensor({-1.0f, 0.0f, 1.0f, 0.0f}).reshape({2, 2}) * (constant ? 0.0f : 1.0f));
    fc->bias.copy_(constant ? torch::tensor({1.0f, 0.0f}) : torch::zeros({2}));
  }
  torch::Tensor forward(torch::Tensor x) override { return fc(x); }
};

std::string temp_csv(const std::string& name) {
  return (std::filesystem::path(testing::TempDir()) / ("bgm_metrics_" + name + ".csv")).string();
}

TEST(ToyBoundary, MarginsToTheLineXEqualsZero) {
  VerticalBoundary model;
  auto train = torch::tensor({1.0f, 0.0f, -0.5f, 1.0f, 2.0f, 1.0f}).reshape({3, 2});
  auto train_labels = torch::tensor({1, 0, 1}, torch::kLong);
  auto fresh = torch::tensor({0.5f, 0.0f, -1.0f, 0.0f, -2.0f, 5.0f}).reshape({3, 2});
  auto fresh_labels = torch::tensor({1, 0, 1}, torch::kLong);
  const std::string csv = temp_csv("vertical");
  auto result = toy_boundary(model, train, train_labels, fresh, fresh_labels, 20, csv);

  // Box x [-0.5, 2] and y [0, 1], widened by 10%: x [-0.75, 2.25], y [-0.1, 1.1]; cells 0.15 x 0.06.
  const auto& bbox = result.at("bbox").as_object();
  EXPECT_NEAR(bbox.at("x_min").as_double(), -0.75, 1e-12);
  EXPECT_NEAR(bbox.at("x_max").as_double(), 2.25, 1e-12);
  EXPECT_NEAR(bbox.at("y_min").as_double(), -0.1, 1e-12);
  EXPECT_NEAR(bbox.at("y_max").as_double(), 1.1, 1e-12);
  // Cell centers: x = -0.675 + 0.15 i (the two nearest 0 are -0.075 and 0.075), y = -0.07 + 0.06 j
  // (nearest 0 is -0.01, nearest 1 is 1.01). Point (1,0) is 1.075 from x=-0.075, (-0.5,1) is 0.575 from
  // x=0.075, (2,1) is 2.075 from x=-0.075; each 0.01 off in y.
  const std::vector<double> margins = {std::hypot(1.075, 0.01), std::hypot(0.575, 0.01), std::hypot(2.075, 0.01)};
  EXPECT_NEAR(result.at("margin_min").as_double(), margins[1], 1e-6);
  EXPECT_NEAR(result.at("margin_mean").as_double(), (margins[0] + margins[1] + margins[2]) / 3, 1e-6);
  EXPECT_EQ(result.at("points_without_other_class").as_int64(), 0);
  EXPECT_NEAR(result.at("fresh_accuracy").as_double(), 200.0 / 3, 1e-9);
  EXPECT_EQ(result.at("grid_size").as_int64(), 20);
  EXPECT_EQ(result.at("grid_file").as_string(), csv);

  // The CSV: header, 400 rows, y slowest, and 15 of every 20 columns (x > 0) predicted 1.
  std::istringstream lines(read_file(csv));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "x,y,pred");
  int rows = 0, ones = 0;
  double x = 0, y = 0;
  int pred = 0;
  char comma = 0;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    fields >> x >> comma >> y >> comma >> pred;
    if (rows == 0) {
      EXPECT_NEAR(x, -0.675, 1e-6);
      EXPECT_NEAR(y, -0.07, 1e-6);
    }
    if (rows == 20) EXPECT_NEAR(y, -0.01, 1e-6) << "row 20 starts the second y";
    EXPECT_EQ(pred, x > 0 ? 1 : 0) << line;
    ones += pred;
    ++rows;
  }
  EXPECT_EQ(rows, 400);
  EXPECT_EQ(ones, 300);
  std::filesystem::remove(csv);
}

TEST(ToyBoundary, NoOtherClassGivesNullMargins) {
  VerticalBoundary model(/*constant=*/true);
  auto train = torch::tensor({1.0f, 0.0f, -0.5f, 1.0f}).reshape({2, 2});
  auto labels = torch::tensor({0, 0}, torch::kLong);
  const std::string csv = temp_csv("constant");
  auto result = toy_boundary(model, train, labels, train, labels, 4, csv);
  EXPECT_TRUE(result.at("margin_min").is_null());
  EXPECT_TRUE(result.at("margin_mean").is_null());
  EXPECT_EQ(result.at("points_without_other_class").as_int64(), 2);
  EXPECT_EQ(result.at("fresh_accuracy").as_double(), 100.0);
  std::filesystem::remove(csv);
}

}  // namespace
}  // namespace bgm
