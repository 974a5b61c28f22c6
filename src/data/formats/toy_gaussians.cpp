// Toy Gaussians: std::mt19937_64 streams and a hand-written Box-Muller transform, because libstdc++'s
// std::normal_distribution is implementation-defined and would tie the data to one standard library.
#include "data/formats/toy_gaussians.h"

#include <cmath>
#include <random>
#include <string>

#include "core/error.h"

namespace bgm {
namespace {

// Distinct, fixed offsets keep the train and test streams apart for every seed.
constexpr double kPi = 3.14159265358979323846;
constexpr uint64_t kTrainStream = 0x746f792d74726169ull;  // "toy-trai"
constexpr uint64_t kTestStream = 0x746f792d74657374ull;   // "toy-test"

// SplitMix64 finalizer: neighbouring seeds give unrelated generator states.
uint64_t mix_seed(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

class StandardNormal {
 public:
  explicit StandardNormal(uint64_t seed) : engine_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // u1 in (0, 1] so log(u1) is finite; u2 in [0, 1); 53 random bits each.
    const double u1 = (static_cast<double>(engine_() >> 11) + 1.0) * 0x1.0p-53;
    const double u2 = static_cast<double>(engine_() >> 11) * 0x1.0p-53;
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * kPi * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

void fill_split(int64_t per_class, const DatasetSpec& spec, uint64_t stream_seed, RawSplit& split) {
  const double center = spec.toy_center, std_dev = spec.toy_std;
  StandardNormal normal(stream_seed);
  split.count = 2 * per_class;
  split.channels = 2;
  split.height = split.width = 1;
  split.points.resize(2 * split.count);
  split.labels.resize(split.count);
  for (int64_t i = 0; i < split.count; ++i) {
    const int64_t label = i < per_class ? 0 : 1;
    split.labels[i] = label;
    // The offset is added after the draw, so a zero offset leaves the points bit for bit as before.
    split.points[2 * i] = static_cast<float>((label == 0 ? -center : center) + std_dev * normal.next() + spec.toy_offset_x);
    split.points[2 * i + 1] = static_cast<float>(std_dev * normal.next() + spec.toy_offset_y);
  }
}

}  // namespace

RawDataset make_toy_gaussians(const DatasetSpec& spec, int64_t seed) {
  if (spec.toy_points_per_class < 1 || spec.toy_test_points_per_class < 1)
    throw Error("dataset.toy_points_per_class / toy_test_points_per_class: expected >= 1, got " +
                std::to_string(spec.toy_points_per_class) + " / " + std::to_string(spec.toy_test_points_per_class));
  if (!(spec.toy_std >= 0.0) || !std::isfinite(spec.toy_center) || !std::isfinite(spec.toy_offset_x) ||
      !std::isfinite(spec.toy_offset_y))
    throw Error("dataset.toy_std / toy_center / toy_offset: expected a finite center and offset and std >= 0");
  RawDataset ds = raw_dataset_from_facts("toy-gaussians");
  const uint64_t base = mix_seed(static_cast<uint64_t>(seed));
  fill_split(spec.toy_points_per_class, spec, mix_seed(base ^ kTrainStream), ds.train);
  fill_split(spec.toy_test_points_per_class, spec, mix_seed(base ^ kTestStream), ds.test);
  return ds;  // points, not images: mean/std stay empty
}

}  // namespace bgm
