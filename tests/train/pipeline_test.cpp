// The device data pipeline and Algorithm 1's draws: augmentation equals per-image reference crops,
// masks zero exactly floor(N * positions) entries and are pure functions of (seed, image, replica),
// random labels are uniform, and SGD / the step schedule follow torch.optim.SGD and the paper.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <torch/torch.h>

#include "data/alg1_draws.h"
#include "data/batch_source.h"
#include "data/device_dataset.h"
#include "train/sgd.h"

namespace bgm {
namespace {

DeviceDataset tiny_images(int64_t n, int64_t c = 3, int64_t h = 8, int64_t w = 8) {
  DeviceDataset d;
  d.name = "tiny";
  d.classes = 10;
  d.image = true;
  d.shape = InputShape{c, h, w};
  auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
  // Pixels 1..255 so a zero can only come from padding or a mask.
  d.train = DeviceSplit{torch::randint(1, 256, {n, c, h, w}, gen, torch::kUInt8), torch::arange(n) % 10};
  d.test = d.train;
  d.mean = torch::zeros({1, c, 1, 1});
  d.std = torch::ones({1, c, 1, 1});
  return d;
}

TEST(Augmentation, EqualsPerImageReferenceCropAndFlip) {
  const DeviceDataset d = tiny_images(16);
  AugmentSpec spec;
  spec.crop_padding = 2;
  spec.flip = true;
  auto source = make_true_label_source(d, d.train, true, spec);
  const EpochPlan plan = source->plan_epoch(3, 1);
  const Batch b = source->batch(plan, torch::arange(16));
  ASSERT_EQ(b.inputs.sizes(), (std::vector<int64_t>{16, 3, 8, 8}));
  for (int64_t k = 0; k < 16; ++k) {
    const int64_t i = plan.order[k].item<int64_t>();
    auto padded = torch::constant_pad_nd(d.train.inputs[i], {2, 2, 2, 2}, 0);
    // Draws belong to the example (the slot), not to its position in the epoch.
    const int64_t dy = plan.shifts[i][0].item<int64_t>(), dx = plan.shifts[i][1].item<int64_t>();
    ASSERT_TRUE(dy >= 0 && dy <= 4 && dx >= 0 && dx <= 4);
    auto expected = padded.slice(1, dy, dy + 8).slice(2, dx, dx + 8);
    if (plan.flips[i].item<bool>()) expected = expected.flip({2});
    EXPECT_TRUE(torch::equal(b.inputs[k], expected.to(torch::kFloat32) / 255.0)) << "position " << k;
    EXPECT_EQ(b.labels[k].item<int64_t>(), d.train.labels[i].item<int64_t>());
  }
  // Over many draws every offset and both flips occur.
  const DeviceDataset many = tiny_images(2000);
  const EpochPlan big = make_true_label_source(many, many.train, true, spec)->plan_epoch(3, 2);
  EXPECT_EQ(std::get<0>(at::_unique(big.shifts.select(1, 0))).numel(), 5);
  const double flipped = big.flips.to(torch::kFloat32).mean().item<double>();
  EXPECT_NEAR(flipped, 0.5, 0.05);
}

TEST(Augmentation, OffWhenNotAskedAndEpochPlansAreDeterministic) {
  const DeviceDataset d = tiny_images(10);
  auto source = make_true_label_source(d, d.train, false, AugmentSpec{});
  const EpochPlan a = source->plan_epoch(5, 3), b = source->plan_epoch(5, 3), c = source->plan_epoch(5, 4);
  EXPECT_TRUE(torch::equal(a.order, b.order));
  EXPECT_FALSE(torch::equal(a.order, c.order));
  EXPECT_TRUE(torch::equal(std::get<0>(a.order.sort()), torch::arange(10)));
  const Batch batch = source->batch(a, torch::arange(10));
  EXPECT_TRUE(torch::equal(batch.inputs, d.train.inputs.index_select(0, a.order).to(torch::kFloat32) / 255.0));
}

DeviceDataset tiny_points(int64_t n) {
  DeviceDataset d;
  d.name = "points";
  d.classes = 2;
  d.image = false;
  d.shape = InputShape{2, 1, 1};
  d.train = DeviceSplit{torch::arange(2 * n, torch::kFloat32).reshape({n, 2}), torch::arange(n) % 2};
  d.test = d.train;
  return d;
}

// The toy's noise: ours redrawn every epoch over 2 copies; the authors' the point plus 2 copies, drawn once.
TEST(Augmentation, ToyNoiseIsRedrawnOrDrawnOnceWithTheOriginalKept) {
  const DeviceDataset d = tiny_points(50);
  AugmentSpec ours;
  ours.noise_copies = 2;
  ours.noise_std = 0.2;
  auto redrawn = make_true_label_source(d, d.train, true, ours);
  ASSERT_EQ(redrawn->size(), 100);
  EXPECT_FALSE(torch::equal(redrawn->plan_epoch(1, 0).noise, redrawn->plan_epoch(1, 1).noise));

  AugmentSpec authors;
  authors.noise_copies = 2;
  authors.noise_std = 0.1;
  authors.noise_per_epoch = false;
  authors.noise_keep_original = true;
  auto once = make_true_label_source(d, d.train, true, authors);
  ASSERT_EQ(once->size(), 150);
  const EpochPlan e0 = once->plan_epoch(1, 0), e1 = once->plan_epoch(1, 1);
  EXPECT_TRUE(torch::equal(e0.noise, e1.noise));  // one set for the whole run
  EXPECT_FALSE(torch::equal(e0.order, e1.order));  // still reshuffled each epoch
  EXPECT_FALSE(torch::equal(e0.noise, once->plan_epoch(2, 0).noise));  // a function of the seed
  const Batch all = once->batch(e0, torch::arange(150));
  for (int64_t k = 0; k < 150; ++k) {
    const int64_t slot = e0.order[k].item<int64_t>(), point = slot / 3;
    const auto offset = all.inputs[k] - d.train.inputs[point];
    if (slot % 3 == 0) EXPECT_TRUE(torch::equal(all.inputs[k], d.train.inputs[point])) << "slot " << slot;
    else EXPECT_GT(offset.abs().sum().item<double>(), 0.0) << "slot " << slot;
    EXPECT_EQ(all.labels[k].item<int64_t>(), point % 2);
  }
  const auto noisy = e0.noise.index_select(0, torch::arange(150).remainder(3).ne(0).nonzero().flatten());
  EXPECT_NEAR(noisy.std().item<double>(), 0.1, 0.02);
}

TEST(AlgorithmOne, MasksZeroExactlyTheFractionAndArePureFunctions) {
  auto image = torch::arange(64).repeat_interleave(3);
  auto replica = torch::arange(3).repeat(64);
  auto values = zero_out_mask(image, replica, 11, 0.1, false, 3, 32, 32);
  ASSERT_EQ(values.sizes(), (std::vector<int64_t>{192, 3, 32, 32}));
  EXPECT_TRUE(torch::equal(values.flatten(1).sum(1), torch::full({192}, 307, torch::kInt64)));  // int(3072 * 0.1)
  EXPECT_TRUE(torch::equal(values, zero_out_mask(image, replica, 11, 0.1, false, 3, 32, 32)));
  EXPECT_FALSE(torch::equal(values, zero_out_mask(image, replica, 12, 0.1, false, 3, 32, 32)));
  // Replicas of one image get different masks.
  EXPECT_FALSE(torch::equal(values[0], values[1]));
  // Pixel mode zeroes whole pixels: floor(0.1 * 1024) = 102 of them.
  auto pixels = zero_out_mask(image, replica, 11, 0.1, true, 3, 32, 32);
  EXPECT_EQ(pixels.size(1), 1);
  EXPECT_TRUE(torch::equal(pixels.flatten(1).sum(1), torch::full({192}, 102, torch::kInt64)));
  // Positions are spread over the image, not clustered.
  const double hit_rate = values.to(torch::kFloat32).mean(0).std().item<double>();
  EXPECT_LT(hit_rate, 0.05);
}

// The CPU's fused pass (32-bit hash, partial sort) zeroes exactly what the tensor ops' mask zeroes, in both units,
// and the tie order among equal hash keys is fixed (the position breaks it), so every device draws one set.
TEST(AlgorithmOne, FusedCpuReplicasEqualTheTensorMask) {
  const int64_t images = 600, replicas = 7;
  auto image = torch::arange(images).repeat_interleave(replicas).mul_(104729);  // large indices exercise the 32-bit wrap
  auto replica = torch::arange(replicas).repeat(images);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
  auto raw = torch::randint(1, 256, {images * replicas, 3, 16, 16}, gen, torch::kInt64).to(torch::kUInt8);
  for (const bool per_pixel : {true, false})
    for (const double fraction : {0.1, 0.5, 0.999}) {
      auto mask = zero_out_mask(image, replica, 4, fraction, per_pixel, 3, 16, 16);
      auto fused = zeroed_replicas(raw, image, replica, 4, fraction, per_pixel);
      EXPECT_TRUE(torch::equal(fused, raw.masked_fill(mask, 0))) << "per_pixel " << per_pixel << " N " << fraction;
    }
  // N below one position: nothing zeroed, the images themselves.
  EXPECT_TRUE(torch::equal(zeroed_replicas(raw, image, replica, 4, 0.001, true), raw));
}

TEST(AlgorithmOne, RandomLabelsAreUniformAndIndependentOfTheTrueLabel) {
  auto image = torch::arange(5000).repeat_interleave(2);
  auto replica = torch::arange(2).repeat(5000);
  auto labels = random_labels(image, replica, 3, 10);
  EXPECT_TRUE(torch::equal(labels, random_labels(image, replica, 3, 10)));
  auto counts = torch::bincount(labels, {}, 10).to(torch::kFloat64);
  const double chi2 = ((counts - 1000.0).pow(2) / 1000.0).sum().item<double>();
  EXPECT_LT(chi2, 40.0);  // 9 degrees of freedom: p < 1e-5 beyond 40
  EXPECT_GT((labels.eq(image % 10)).to(torch::kFloat64).mean().item<double>(), 0.05);  // may equal the true label
}

TEST(AlgorithmOne, RandomLabelSourceServesMaskedReplicas) {
  const DeviceDataset d = tiny_images(6);
  AdversarialSpec spec;
  spec.replicas = 4;
  spec.zero_fraction = 0.25;
  spec.zero_unit = ZeroUnit::kValue;
  spec.label_seed = 9;
  auto source = make_random_label_source(d, spec);
  EXPECT_EQ(source->size(), 24);
  const EpochPlan plan = source->plan_epoch(1, 1);
  const Batch b = source->batch(plan, torch::arange(24));
  auto slot = plan.order;
  auto image = slot.div(4, "floor"), replica = slot.remainder(4);
  EXPECT_TRUE(torch::equal(b.labels, random_labels(image, replica, 9, 10)));
  // Exactly a quarter of the 192 values of each replica are zero (the originals have none).
  EXPECT_TRUE(torch::equal(b.inputs.eq(0).flatten(1).sum(1), torch::full({24}, 48, torch::kInt64)));
}

// C stored once (when it fits the budget) serves the bits the hash generates per batch, labels included.
TEST(AlgorithmOne, StoredSetEqualsTheGeneratedOne) {
  const DeviceDataset d = tiny_images(700);  // more images x replicas than one storing chunk
  for (const ZeroUnit unit : {ZeroUnit::kPixel, ZeroUnit::kValue}) {
    AdversarialSpec spec;
    spec.replicas = 3;
    spec.zero_fraction = 0.1;
    spec.zero_unit = unit;
    spec.label_seed = 5;
    auto stored = make_random_label_source(d, spec, int64_t{1} << 30);
    auto generated = make_random_label_source(d, spec, 0);
    EXPECT_EQ(random_label_set_storage(*stored), "stored");
    EXPECT_EQ(random_label_set_storage(*generated), "generated");
    // 700 x 3 replicas of 3x8x8 uint8 = 403200 bytes: one byte less and it is generated.
    EXPECT_EQ(random_label_set_storage(*make_random_label_source(d, spec, 403200)), "stored");
    EXPECT_EQ(random_label_set_storage(*make_random_label_source(d, spec, 403199)), "generated");
    const EpochPlan plan = stored->plan_epoch(2, 3);
    for (const auto& positions : {torch::arange(0, 128), torch::arange(1900, 2100), torch::tensor({2099, 0, 1024})}) {
      const Batch a = stored->batch(plan, positions), b = generated->batch(plan, positions);
      EXPECT_TRUE(torch::equal(a.inputs, b.inputs)) << name_of(unit);
      EXPECT_TRUE(torch::equal(a.labels, b.labels)) << name_of(unit);
    }
  }
}

// subset_pick "first": the split's first n examples, the same for every seed, read from data_batch_1.bin alone;
// "random" (the default) draws n per seed from the whole split, so it needs every batch file.
TEST(DeviceDataset, FirstSubsetIsTheFilesFirstExamplesForEverySeed) {
  const auto folder = std::filesystem::temp_directory_path() / ("bgm-first-subset-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  for (const std::string name : {"data_batch_1.bin", "test_batch.bin"}) {
    std::ofstream out(folder / name, std::ios::binary);
    for (int i = 0; i < 20; ++i) {
      out.put(static_cast<char>((i * 7) % 10));                      // label
      out << std::string(3072, static_cast<char>(name[0] == 'd' ? i : 100 + i));  // pixels tell the record apart
    }
  }
  JobSpec job;
  job.dataset.name = "cifar10";
  job.dataset.root = folder.string();
  job.dataset.train_subset = 5;
  job.dataset.test_subset = 3;
  job.dataset.subset_pick = SubsetPick::kFirst;
  for (int64_t seed : {0, 1}) {
    job.seed = seed;
    const DeviceDataset d = load_device_dataset(job, torch::kCPU);
    ASSERT_EQ(d.train.size(), 5);
    ASSERT_EQ(d.test.size(), 3);
    for (int64_t i = 0; i < 5; ++i) {
      EXPECT_EQ(d.train.labels[i].item<int64_t>(), (i * 7) % 10);
      EXPECT_EQ(d.train.inputs[i][2][31][31].item<uint8_t>(), i);
    }
    EXPECT_EQ(d.test.inputs[2][0][0][0].item<uint8_t>(), 102);
  }
  job.dataset.subset_pick = SubsetPick::kRandom;
  try {
    load_device_dataset(job, torch::kCPU);
    ADD_FAILURE() << "a random subset needs every batch file";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("data_batch_2.bin"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(folder);
}

TEST(Schedule, StepsAfterTheListedEpochs) {
  SgdSpec s;
  s.lr = 0.1;
  s.gamma = 0.1;
  s.milestones = {150, 250};
  EXPECT_DOUBLE_EQ(scheduled_lr(s, 1), 0.1);
  EXPECT_DOUBLE_EQ(scheduled_lr(s, 150), 0.1);
  EXPECT_NEAR(scheduled_lr(s, 151), 0.01, 1e-15);
  EXPECT_NEAR(scheduled_lr(s, 250), 0.01, 1e-15);
  EXPECT_NEAR(scheduled_lr(s, 251), 0.001, 1e-15);
  EXPECT_NEAR(scheduled_lr(s, 350), 0.001, 1e-15);
}

TEST(Sgd, MatchesTorchOptimSgdWithCoupledDecayAndMomentum) {
  auto p = torch::tensor({1.0, -2.0}, torch::kFloat64).requires_grad_(true);
  Sgd sgd({p}, 0.9, 0.01);
  double w0 = 1.0, buf = 0.0;
  for (int step = 0; step < 3; ++step) {
    sgd.zero_grad();
    (p * p).sum().backward();  // grad = 2p
    const double d = 2 * w0 + 0.01 * w0;
    buf = step == 0 ? d : 0.9 * buf + d;
    w0 -= 0.5 * buf;
    sgd.step(0.5);
    EXPECT_NEAR(p[0].item<double>(), w0, 1e-12) << "step " << step;
  }
}

}  // namespace
}  // namespace bgm
