// The fixed subsample behind `bgm prepare restricted-imagenet --paper-size`.
#include "data/formats/stratified_subsample.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/content_hash.h"

namespace bgm {
namespace {

std::vector<LabeledFile> group(const std::string& dir, int64_t label, int count) {
  std::vector<LabeledFile> files;
  for (int i = 0; i < count; ++i) files.push_back({dir + "/img" + std::to_string(i) + ".JPEG", label});
  return files;
}

std::map<int64_t, int> per_label(const std::vector<LabeledFile>& files) {
  std::map<int64_t, int> counts;
  for (const auto& f : files) ++counts[f.label];
  return counts;
}

TEST(StratifiedSubsample, SharesFollowGroupSizesByLargestRemainder) {
  // 6, 3, 1 of 10 files, keep 5: exact shares 3, 1.5, 0.5; the tied remainders go to the earlier group.
  const auto kept = stratified_subsample({group("a", 0, 6), group("b", 1, 3), group("c", 2, 1)}, 5);
  EXPECT_EQ(kept.size(), 5u);
  EXPECT_EQ(per_label(kept), (std::map<int64_t, int>{{0, 3}, {1, 2}}));
  // 203 synsets of uneven size, as Restricted ImageNet has: the total is exact and each share within one of exact.
  std::vector<std::vector<LabeledFile>> groups;
  int64_t total = 0;
  for (int g = 0; g < 203; ++g) {
    groups.push_back(group("s" + std::to_string(g), g, 40 + (g * 37) % 23));
    total += static_cast<int64_t>(groups.back().size());
  }
  const auto sample = stratified_subsample(groups, 4000);
  ASSERT_EQ(sample.size(), 4000u);
  const auto counts = per_label(sample);
  for (int g = 0; g < 203; ++g) {
    const double exact = 4000.0 * static_cast<double>(groups[g].size()) / static_cast<double>(total);
    const int got = counts.count(g) ? counts.at(g) : 0;
    EXPECT_LT(std::abs(got - exact), 1.0) << "synset " << g;
  }
}

TEST(StratifiedSubsample, KeepsTheSmallestNameHashesWhereverTheDatasetLies) {
  const auto here = stratified_subsample({group("/data/imagenet/train/n1", 0, 20)}, 7);
  const auto there = stratified_subsample({group("/scratch/u/ILSVRC/train/n1", 0, 20)}, 7);
  ASSERT_EQ(here.size(), 7u);
  std::vector<uint64_t> hashes;
  for (int i = 0; i < 20; ++i) hashes.push_back(fnv1a64("img" + std::to_string(i) + ".JPEG"));
  std::vector<uint64_t> sorted = hashes;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < here.size(); ++i) {
    const std::string name = here[i].path.substr(here[i].path.rfind('/') + 1);
    EXPECT_LE(fnv1a64(name), sorted[6]) << name;
    EXPECT_EQ(there[i].path.substr(there[i].path.rfind('/') + 1), name);
    if (i > 0)  // the kept files stay in their listed order
      EXPECT_LT(std::stoi(here[i - 1].path.substr(here[i - 1].path.rfind("img") + 3)),
                std::stoi(here[i].path.substr(here[i].path.rfind("img") + 3)));
  }
}

TEST(StratifiedSubsample, TargetAtOrAboveTheTotalKeepsEverything) {
  const auto all = stratified_subsample({group("a", 0, 3), group("b", 1, 2)}, 5);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(stratified_subsample({group("a", 0, 3), group("b", 1, 2)}, 50).size(), 5u);
  EXPECT_EQ(all[3].path, "b/img0.JPEG");
}

}  // namespace
}  // namespace bgm
