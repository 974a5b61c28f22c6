// A deterministic, stratified subsample of image files: Restricted ImageNet at the paper's size (about 123k train,
// 4.8k test of the ~257k/10.2k the super-class ranges cover), the same for every seed and every machine.
#pragma once
#include <cstdint>
#include <vector>

#include "data/formats/image_folders.h"

namespace bgm {

// Keeps `target` files over all groups (here: ImageNet synsets), each group's share in proportion to its size
// (largest remainder, ties to the earlier group), and within a group the files whose names (not paths) have the
// smallest FNV-1a 64-bit hashes, so the choice does not depend on where the dataset is unpacked. Groups and their
// files keep their order. A target >= the total keeps every file.
std::vector<LabeledFile> stratified_subsample(const std::vector<std::vector<LabeledFile>>& groups, int64_t target);

}  // namespace bgm
