// Named presets of the paper: the 8 training modes of Table 2 and the per-dataset schedules (Sec. 3).
#pragma once
#include <string>
#include <vector>

#include "core/job_spec.h"

namespace bgm {

struct ModePreset {
  std::string name;
  bool augment;
  bool l2;
  bool momentum;
};
const std::vector<ModePreset>& mode_presets();  // vanilla, da, l2, momentum, da+l2, da+momentum, l2+momentum, sota
const ModePreset* find_mode(const std::string& name);

struct SchedulePreset {
  std::string name;
  SgdSpec sgd;          // epochs, batch, lr, milestones, gamma; momentum/weight decay at 0
  double l2 = 5e-4;     // weight decay when a mode turns l2 on
  double momentum = 0.9;
  double l2_authors = 5e-4;  // the same under behaviour "authors" (the toy's setting (d) used 0.1)
};

// The toy's data and its noise augmentation: ours (small-scale.md; the paper gives no numbers) and the authors'.
struct ToyDataPreset {
  int64_t points_per_class, test_points_per_class;
  double center, std_dev, offset_x, offset_y;
  double noise_std;
};
extern const ToyDataPreset kToyPaper;
extern const ToyDataPreset kToyAuthors;
const std::vector<SchedulePreset>& schedule_presets();
const SchedulePreset* find_schedule(const std::string& name);

struct DatasetDefaults {
  std::string name;
  std::string schedule;        // default schedule preset
  std::string root_subdir;     // under $BGM_DATA (default "data") unless absolute_root is set
  std::string absolute_root;   // fixed default root (Debian's Fashion-MNIST)
  int64_t replicas;            // default R for Algorithm 1
  double zero_fraction;        // default N
  SgdSpec adversarial;         // Algorithm 1's vanilla SGD
  AugmentSpec augment;
  bool image;                  // false for the 2-D toy
};
const std::vector<DatasetDefaults>& dataset_defaults();
const DatasetDefaults* find_dataset(const std::string& name);
// $BGM_DATA, else "data": where datasets live (bgm fetch and bgm prepare write there).
std::string data_root();
std::string default_data_root(const DatasetDefaults& d);

}  // namespace bgm
