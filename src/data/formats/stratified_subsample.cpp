#include "data/formats/stratified_subsample.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "core/content_hash.h"

namespace bgm {
namespace {

// Per-group quotas summing to target: floor(target * n / total), the rest to the largest remainders.
std::vector<int64_t> proportional_quotas(const std::vector<std::vector<LabeledFile>>& groups, int64_t target,
                                         int64_t total) {
  std::vector<int64_t> quota(groups.size());
  std::vector<std::pair<int64_t, size_t>> remainders;  // (remainder, group), largest first, then group order
  int64_t assigned = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto scaled = static_cast<__int128>(target) * static_cast<int64_t>(groups[g].size());
    quota[g] = static_cast<int64_t>(scaled / total);
    remainders.push_back({static_cast<int64_t>(scaled % total), g});
    assigned += quota[g];
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; assigned < target && i < remainders.size(); ++i, ++assigned) ++quota[remainders[i].second];
  return quota;
}

}  // namespace

std::vector<LabeledFile> stratified_subsample(const std::vector<std::vector<LabeledFile>>& groups, int64_t target) {
  int64_t total = 0;
  for (const auto& group : groups) total += static_cast<int64_t>(group.size());
  std::vector<LabeledFile> kept;
  if (target >= total) {
    for (const auto& group : groups) kept.insert(kept.end(), group.begin(), group.end());
    return kept;
  }
  const std::vector<int64_t> quota = proportional_quotas(groups, target, total);
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto& files = groups[g];
    std::vector<std::pair<uint64_t, size_t>> ranked;  // (hash of the file name, position)
    for (size_t i = 0; i < files.size(); ++i)
      ranked.push_back({fnv1a64(std::filesystem::path(files[i].path).filename().string()), i});
    std::sort(ranked.begin(), ranked.end());
    ranked.resize(static_cast<size_t>(quota[g]));
    std::vector<size_t> positions;
    for (const auto& [hash, i] : ranked) positions.push_back(i);
    std::sort(positions.begin(), positions.end());
    for (size_t i : positions) kept.push_back(files[i]);
  }
  return kept;
}

}  // namespace bgm
