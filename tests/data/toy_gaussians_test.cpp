// The Fig. 1 toy generator: determinism per seed, separate train/test streams, class means and spread.
#include "data/formats/toy_gaussians.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

namespace bgm {
namespace {

DatasetSpec toy_spec(int64_t train_per_class, int64_t test_per_class) {
  DatasetSpec spec;
  spec.name = "toy-gaussians";
  spec.toy_points_per_class = train_per_class;
  spec.toy_test_points_per_class = test_per_class;
  spec.toy_center = 1.5;
  spec.toy_std = 0.5;
  return spec;
}

TEST(ToyGaussians, ShapesAndLabels) {
  const RawDataset ds = make_toy_gaussians(toy_spec(50, 500), 0);
  EXPECT_EQ(ds.name, "toy-gaussians");
  EXPECT_EQ(ds.classes, 2);
  ASSERT_EQ(ds.train.count, 100);
  ASSERT_EQ(ds.test.count, 1000);
  EXPECT_EQ(ds.train.channels, 2);
  EXPECT_EQ(ds.train.height, 1);
  EXPECT_EQ(ds.train.width, 1);
  EXPECT_EQ(ds.train.points.size(), 200u);
  EXPECT_TRUE(ds.train.pixels.empty());
  for (int64_t i = 0; i < ds.train.count; ++i) EXPECT_EQ(ds.train.labels[i], i < 50 ? 0 : 1);
}

TEST(ToyGaussians, SameSeedSameData_OtherSeedOtherData) {
  const DatasetSpec spec = toy_spec(50, 500);
  const RawDataset a = make_toy_gaussians(spec, 7), b = make_toy_gaussians(spec, 7), c = make_toy_gaussians(spec, 8);
  EXPECT_EQ(a.train.points, b.train.points);
  EXPECT_EQ(a.test.points, b.test.points);
  EXPECT_NE(a.train.points, c.train.points);
  // The test split is its own stream: not a continuation or copy of the train points.
  const RawDataset equal_sizes = make_toy_gaussians(toy_spec(50, 50), 7);
  EXPECT_NE(equal_sizes.train.points, equal_sizes.test.points);
  // ...and growing the test split leaves the train split unchanged.
  EXPECT_EQ(equal_sizes.train.points, a.train.points);
}

TEST(ToyGaussians, ClassMeansAndSpreadMatchTheSpec) {
  const RawDataset ds = make_toy_gaussians(toy_spec(20000, 10), 3);
  double sum[2][2] = {{0, 0}, {0, 0}}, squares[2][2] = {{0, 0}, {0, 0}};
  for (int64_t i = 0; i < ds.train.count; ++i)
    for (int d = 0; d < 2; ++d) {
      const double v = ds.train.points[2 * i + d];
      sum[ds.train.labels[i]][d] += v;
      squares[ds.train.labels[i]][d] += v * v;
    }
  const double n = 20000;
  for (int label = 0; label < 2; ++label) {
    const double expected_x = label == 0 ? -1.5 : 1.5;
    EXPECT_NEAR(sum[label][0] / n, expected_x, 0.02);  // 4.5 standard errors of 0.5/sqrt(20000)
    EXPECT_NEAR(sum[label][1] / n, 0.0, 0.02);
    for (int d = 0; d < 2; ++d) {
      const double mean = sum[label][d] / n;
      EXPECT_NEAR(std::sqrt(squares[label][d] / n - mean * mean), 0.5, 0.015);
    }
  }
}

// The authors' layout: an offset moves both classes; a zero offset leaves the points bit for bit as they were.
TEST(ToyGaussians, OffsetMovesBothClassMeans) {
  DatasetSpec shifted = toy_spec(5000, 10);
  shifted.toy_offset_x = 0.2;
  shifted.toy_offset_y = -0.3;
  const RawDataset plain = make_toy_gaussians(toy_spec(5000, 10), 4), moved = make_toy_gaussians(shifted, 4);
  for (int64_t i = 0; i < plain.train.count; ++i) {
    EXPECT_NEAR(moved.train.points[2 * i] - plain.train.points[2 * i], 0.2, 1e-6);
    EXPECT_NEAR(moved.train.points[2 * i + 1] - plain.train.points[2 * i + 1], -0.3, 1e-6);
  }
  DatasetSpec zero = toy_spec(5000, 10);
  zero.toy_offset_x = zero.toy_offset_y = 0.0;
  EXPECT_EQ(make_toy_gaussians(zero, 4).train.points, plain.train.points);
}

TEST(ToyGaussians, RejectsEmptyClasses) {
  EXPECT_THROW(make_toy_gaussians(toy_spec(0, 10), 0), Error);
}

}  // namespace
}  // namespace bgm
