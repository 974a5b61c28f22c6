#include "core/job_presets.h"

#include <cstdlib>

namespace bgm {

const std::vector<ModePreset>& mode_presets() {
  static const std::vector<ModePreset> modes = {
      {"vanilla", false, false, false},     {"da", true, false, false},
      {"l2", false, true, false},           {"momentum", false, false, true},
      {"da+l2", true, true, false},         {"da+momentum", true, false, true},
      {"l2+momentum", false, true, true},   {"sota", true, true, true},
  };
  return modes;
}

const ModePreset* find_mode(const std::string& name) {
  for (const auto& m : mode_presets())
    if (m.name == name) return &m;
  return nullptr;
}

static SgdSpec sgd(int64_t epochs, int64_t batch, double lr, std::vector<int64_t> milestones) {
  SgdSpec s;
  s.epochs = epochs;
  s.batch_size = batch;
  s.lr = lr;
  s.milestones = std::move(milestones);
  s.gamma = 0.1;
  return s;
}

const std::vector<SchedulePreset>& schedule_presets() {
  // Paper Sec. 3: CIFAR 350 epochs, x0.1 after 150 and 250; CINIC-10 / Restricted ImageNet 300 epochs,
  // after 150 and 225; weight decay 5e-4 (CINIC-10 1e-4); momentum 0.9; batch 128; lr 0.1.
  // fashion-mnist and toy come from ../shared/small-scale.md (settings where the effect shows on a CPU).
  static const std::vector<SchedulePreset> presets = {
      {"cifar", sgd(350, 128, 0.1, {150, 250}), 5e-4, 0.9, 5e-4},
      {"cinic10", sgd(300, 128, 0.1, {150, 225}), 1e-4, 0.9, 1e-4},
      {"restricted-imagenet", sgd(300, 128, 0.1, {150, 225}), 5e-4, 0.9, 5e-4},
      {"fashion-mnist", sgd(200, 128, 0.01, {}), 5e-4, 0.9, 5e-4},
      // The authors' toy setting (d) (src_c07): momentum 0.9 and weight decay 0.1.
      {"toy", sgd(1000, 10, 0.03, {}), 5e-4, 0.9, 0.1},
  };
  return presets;
}

// Ours: two Gaussians at (+-1.5, 0), std 0.5, 50 training and 500 test points per class, 2 noisy copies (std 0.2)
// per epoch. The authors' (TOY:datasets/actual_data.npz, model.apply_DA): (0.2 -+ 0.65, 0.2), std 0.15, 50 + 50
// points per class, and the point plus 2 copies with N(0, 0.1^2) noise drawn once before training.
const ToyDataPreset kToyPaper{50, 500, 1.5, 0.5, 0.0, 0.0, 0.2};
const ToyDataPreset kToyAuthors{50, 50, 0.65, 0.15, 0.2, 0.2, 0.1};

const SchedulePreset* find_schedule(const std::string& name) {
  for (const auto& s : schedule_presets())
    if (s.name == name) return &s;
  return nullptr;
}

static SgdSpec adversarial_sgd(SgdSpec s, double stop, int64_t check_every) {
  s.stop_accuracy = stop;
  s.check_every = check_every;
  return s;
}

const std::vector<DatasetDefaults>& dataset_defaults() {
  AugmentSpec image_aug;           // RandomCrop(32, padding=4) + horizontal flip, as the authors
  AugmentSpec fmnist_aug;          // 28x28: padding 2 (small-scale.md)
  fmnist_aug.crop_padding = 2;
  AugmentSpec toy_aug;             // paper footnote 1: replicate each point twice with Gaussian noise
  toy_aug.crop_padding = 0;
  toy_aug.flip = false;
  // Algorithm 1 pretraining is vanilla SGD with the dataset's schedule, until 100% on C (paper).
  const SgdSpec cifar_adv = adversarial_sgd(sgd(350, 128, 0.1, {150, 250}), 100.0, 1);
  const SgdSpec long_adv = adversarial_sgd(sgd(300, 128, 0.1, {150, 225}), 100.0, 1);
  const SgdSpec fmnist_adv = adversarial_sgd(sgd(300, 64, 0.05, {}), 100.0, 1);
  const SgdSpec toy_adv = adversarial_sgd(sgd(30000, 10, 0.03, {}), 100.0, 1);
  static const std::vector<DatasetDefaults> all = {
      {"cifar10", "cifar", "cifar-10-batches-bin", "", 10, 0.1, cifar_adv, image_aug, true},
      {"cifar100", "cifar", "cifar-100-binary", "", 10, 0.1, cifar_adv, image_aug, true},
      {"cinic10", "cinic10", "cinic10.bgmpack", "", 10, 0.1, long_adv, image_aug, true},
      {"restricted-imagenet", "restricted-imagenet", "restricted-imagenet.bgmpack", "", 10, 0.1, long_adv, image_aug, true},
      {"fashion-mnist", "fashion-mnist", "", "/usr/share/datasets/fashion-mnist", 20, 0.1, fmnist_adv, fmnist_aug, true},
      // The toy's random-label stage (Fig. 1b) relabels the 100 points once: R = 1, nothing zeroed.
      {"toy-gaussians", "toy", "", "", 1, 0.0, toy_adv, toy_aug, false},
  };
  return all;
}

const DatasetDefaults* find_dataset(const std::string& name) {
  for (const auto& d : dataset_defaults())
    if (d.name == name) return &d;
  return nullptr;
}

std::string data_root() {
  const char* env = std::getenv("BGM_DATA");
  return (env && *env) ? env : "data";
}

std::string default_data_root(const DatasetDefaults& d) {
  if (!d.absolute_root.empty()) return d.absolute_root;
  if (d.root_subdir.empty()) return "";
  return data_root() + "/" + d.root_subdir;
}

}  // namespace bgm
