// The next step when a job's dataset is not where it looks: how to get that dataset, and where a relative path
// points (with BGM_DATA unset, jobs look under ./data of whatever folder they were started in).
#pragma once
#include <string>

namespace bgm {

// One line per hint, starting with a newline, e.g. "\nto get it: `bgm fetch cifar10` (writes
// data/cifar-10-batches-bin)\nBGM_DATA is unset, so data/cifar-10-batches-bin is relative to the current folder
// /home/u". `root` is the path the job looked at.
std::string missing_dataset_hint(const std::string& name, const std::string& root);

}  // namespace bgm
