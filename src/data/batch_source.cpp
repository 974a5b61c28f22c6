#include "data/batch_source.h"

#include "core/content_hash.h"
#include "core/error.h"
#include "data/alg1_draws.h"

namespace bgm {

uint64_t stream_seed(uint64_t seed, const std::string& stream, int64_t epoch) {
  return fnv1a64(std::to_string(seed) + "/" + stream + "/" + std::to_string(epoch)) & 0x7fffffffffffffffULL;
}

namespace {

at::Generator cpu_generator(uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

class TrueLabelSource final : public BatchSource {
 public:
  TrueLabelSource(const DeviceDataset& data, const DeviceSplit& split, bool augment, const AugmentSpec& spec)
      : data_(data), split_(split), augment_(augment), spec_(spec),
        copies_(augment && !data.image ? spec.noise_copies + (spec.noise_keep_original ? 1 : 0) : 1) {}

  int64_t size() const override { return split_.size() * copies_; }

  EpochPlan plan_epoch(uint64_t seed, int64_t epoch) const override {
    auto gen = cpu_generator(stream_seed(seed, "true-labels", epoch));
    const auto n = size();
    EpochPlan plan;
    plan.order = torch::randperm(n, gen, torch::kInt64);
    if (augment_ && data_.image) {
      plan.shifts = torch::randint(0, 2 * spec_.crop_padding + 1, {n, 2}, gen, torch::kInt64);
      plan.flips = spec_.flip ? torch::randint(0, 2, {n}, gen, torch::kInt64).to(torch::kBool)
                              : torch::zeros({n}, torch::kBool);
    } else if (augment_) {
      plan.noise = toy_noise(spec_.noise_per_epoch ? gen : cpu_generator(stream_seed(seed, "toy-noise-once", 0)), n);
    }
    for (auto* t : {&plan.order, &plan.shifts, &plan.flips, &plan.noise})
      if (t->defined()) *t = t->to(data_.device);
    return plan;
  }

  Batch batch(const EpochPlan& plan, const torch::Tensor& positions) const override {
    auto slot = plan.order.index_select(0, positions);
    auto index = copies_ > 1 ? slot.div(copies_, "floor") : slot;
    auto raw = split_.inputs.index_select(0, index);
    auto labels = split_.labels.index_select(0, index);
    if (!augment_) return Batch{data_.normalize(raw), labels};
    if (!data_.image) return Batch{raw + plan.noise.index_select(0, slot), labels};
    return Batch{data_.normalize(crop_and_flip(raw, plan.shifts.index_select(0, slot), plan.flips.index_select(0, slot))),
                 labels};
  }

 private:
  // The toy's noise for each of the n slots (point i has slots i*copies_ .., per epoch or drawn once as the
  // authors); with the original kept, each point's first slot is the clean point.
  torch::Tensor toy_noise(at::Generator gen, int64_t n) const {
    auto noise = torch::randn({n, 2}, gen, torch::kFloat32).mul_(spec_.noise_std);
    if (spec_.noise_keep_original) noise.index_fill_(0, torch::arange(0, n, copies_, torch::kInt64), 0.0);
    return noise;
  }

  // RandomCrop(size, padding=p) with zero (black) padding, then horizontal flip, on the whole batch.
  torch::Tensor crop_and_flip(const torch::Tensor& raw, const torch::Tensor& shifts, const torch::Tensor& flips) const {
    const int64_t p = spec_.crop_padding;
    const auto b = raw.size(0), c = raw.size(1), h = raw.size(2), w = raw.size(3);
    torch::Tensor x = raw;
    if (p > 0) {
      auto padded = torch::constant_pad_nd(raw, {p, p, p, p}, 0);
      auto rows = shifts.select(1, 0).view({b, 1, 1, 1}) + torch::arange(h, shifts.options()).view({1, 1, h, 1});
      x = padded.gather(2, rows.expand({b, c, h, w + 2 * p}));
      auto cols = shifts.select(1, 1).view({b, 1, 1, 1}) + torch::arange(w, shifts.options()).view({1, 1, 1, w});
      x = x.gather(3, cols.expand({b, c, h, w}));
    }
    if (spec_.flip) x = torch::where(flips.view({b, 1, 1, 1}), x.flip({3}), x);
    return x;
  }

  const DeviceDataset& data_;
  const DeviceSplit& split_;
  bool augment_;
  AugmentSpec spec_;
  int64_t copies_;
};

class RandomLabelSource final : public BatchSource {
 public:
  RandomLabelSource(const DeviceDataset& data, const AdversarialSpec& spec, int64_t memory_bytes)
      : data_(data), spec_(spec) {
    // The n*R labels are drawn once (8 bytes each): a per-step redraw costs more than the toy's step.
    auto slot = torch::arange(size(), torch::TensorOptions().dtype(torch::kInt64).device(data.device));
    labels_ = random_labels(slot.div(spec.replicas, "floor"), slot.remainder(spec.replicas), spec.label_seed, data.classes);
    if (spec_.zero_fraction > 0 && !data_.image)
      throw Error("init.zero_fraction: the toy's points have no pixels to zero out; use 0");
    const auto& x = data_.train.inputs;
    const int64_t bytes = data_.image ? size() * x.numel() / std::max<int64_t>(1, x.size(0)) : 0;
    if (spec_.zero_fraction > 0 && bytes <= memory_bytes) store_set();
  }

  bool stored() const { return stored_.defined(); }

  int64_t size() const override { return data_.train.size() * spec_.replicas; }

  EpochPlan plan_epoch(uint64_t seed, int64_t epoch) const override {
    auto gen = cpu_generator(stream_seed(seed, "random-labels", epoch));
    EpochPlan plan;
    plan.order = torch::randperm(size(), gen, torch::kInt64).to(data_.device);
    return plan;
  }

  Batch batch(const EpochPlan& plan, const torch::Tensor& positions) const override {
    auto slot = plan.order.index_select(0, positions);
    auto labels = labels_.index_select(0, slot);
    if (stored()) return Batch{data_.normalize(stored_.index_select(0, slot)), labels};
    return Batch{data_.normalize(replicas(slot)), labels};
  }

 private:
  // The zeroed-out images of `slot`s (uint8), from the hash.
  torch::Tensor replicas(const torch::Tensor& slot) const {
    auto image = slot.div(spec_.replicas, "floor");
    auto raw = data_.train.inputs.index_select(0, image);
    if (spec_.zero_fraction <= 0) return raw;
    return zeroed_replicas(raw, image, slot.remainder(spec_.replicas), spec_.label_seed, spec_.zero_fraction,
                           spec_.zero_unit == ZeroUnit::kPixel);
  }

  // All of C at once, in chunks that keep the hash's int64 temporaries small.
  void store_set() {
    const auto& x = data_.train.inputs;
    std::vector<int64_t> shape = x.sizes().vec();
    shape[0] = size();
    stored_ = torch::empty(shape, x.options());
    const int64_t chunk = 1024;
    const auto options = torch::TensorOptions().dtype(torch::kInt64).device(data_.device);
    for (int64_t lo = 0; lo < size(); lo += chunk) {
      const int64_t hi = std::min(size(), lo + chunk);
      stored_.slice(0, lo, hi).copy_(replicas(torch::arange(lo, hi, options)));
    }
  }

  const DeviceDataset& data_;
  AdversarialSpec spec_;
  torch::Tensor labels_;  // [n * R], slot i * R + r
  torch::Tensor stored_;  // uint8 [n * R, C, H, W], slot i * R + r; undefined when generated per batch
};

}  // namespace

std::unique_ptr<BatchSource> make_true_label_source(const DeviceDataset& data, const DeviceSplit& split, bool augment,
                                                    const AugmentSpec& spec) {
  return std::make_unique<TrueLabelSource>(data, split, augment, spec);
}

std::unique_ptr<BatchSource> make_random_label_source(const DeviceDataset& data, const AdversarialSpec& spec,
                                                      int64_t memory_bytes) {
  return std::make_unique<RandomLabelSource>(data, spec, memory_bytes);
}

std::string random_label_set_storage(const BatchSource& source) {
  const auto* alg1 = dynamic_cast<const RandomLabelSource*>(&source);
  if (!alg1) throw Error("random_label_set_storage: not Algorithm 1's source");
  return alg1->stored() ? "stored" : "generated";
}

}  // namespace bgm
