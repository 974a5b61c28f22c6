// Named presets of the paper: the 8 training modes of Table 2, the training schedules (Sec. 3) and the toy's
// data. Each dataset's own defaults (its schedule, Algorithm 1's R, N and SGD) are its row in core/dataset_facts.cpp.
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
  int64_t noise_copies;  // noisy copies of each point per epoch (the authors: drawn once, the point kept too)
  double noise_std;
};
extern const ToyDataPreset kToyPaper;
extern const ToyDataPreset kToyAuthors;
const std::vector<SchedulePreset>& schedule_presets();
const SchedulePreset* find_schedule(const std::string& name);
// A schedule: epochs, batch, lr, x0.1 after each milestone; no momentum or weight decay (modes add them).
SgdSpec sgd_schedule(int64_t epochs, int64_t batch, double lr, std::vector<int64_t> milestones);
// The same schedule, stopping once the training accuracy reaches `percent`, checked every epoch (epochs: the cap).
SgdSpec until_train_accuracy(SgdSpec s, double percent);

}  // namespace bgm
