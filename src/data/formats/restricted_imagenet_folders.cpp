// Restricted ImageNet (9 super-classes of Tsipras et al.) from the ImageNet folder layout into a RawDataset.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "core/error.h"
#include "data/formats/image_folders.h"
#include "data/formats/prepare_datasets.h"
#include "data/formats/stratified_subsample.h"

namespace bgm {

const std::vector<SuperClass>& restricted_imagenet_classes() {
  // MadryLab `robustness` RESTRICTED_IMAGNET_RANGES, label order as there (reference-implementation.md, section 5).
  static const std::vector<SuperClass> classes = {
      {"dog", 151, 268},  {"cat", 281, 285},     {"frog", 30, 32},   {"turtle", 33, 37},  {"bird", 80, 100},
      {"primate", 365, 382}, {"fish", 389, 397}, {"crab", 118, 121}, {"insect", 300, 319},
  };
  return classes;
}

namespace {

constexpr size_t kImageNetClasses = 1000;

// One wnid per line; only the first word counts, so LOC_synset_mapping.txt ("n01440764 tench, ...") works too.
std::vector<std::string> read_synsets_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": missing or unreadable synsets file (expected one wnid per line)");
  std::vector<std::string> wnids;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line);
    std::string wnid;
    if (!(words >> wnid))
      throw Error(path + ": line " + std::to_string(number) + " is empty; expected a wnid (line number = class index)");
    wnids.push_back(wnid);
  }
  return wnids;
}

bool is_wnid(const std::string& name) {
  return name.size() == 9 && name[0] == 'n' &&
         std::all_of(name.begin() + 1, name.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Without a synsets file a class index is a folder's position in the sorted listing, so one folder too many
// (lost+found, .cache) or too few shifts every label after it: only exactly ImageNet's 1,000 wnid folders will do.
std::vector<std::string> synsets_from_train_folders(const std::string& train_dir) {
  std::vector<std::string> wnids, odd;
  for (const auto& name : list_subfolders(train_dir)) (is_wnid(name) ? wnids : odd).push_back(name);
  if (odd.empty() && wnids.size() == kImageNetClasses) return wnids;
  std::string listing;
  for (size_t i = 0; i < odd.size() && i < 10; ++i) listing += (i ? " " : "") + odd[i];
  if (odd.size() > 10) listing += " ...";
  throw Error(train_dir + ": " + std::to_string(wnids.size()) + " synset folders (n########)" +
              (wnids.size() == kImageNetClasses ? "" : ", expected ImageNet's 1000") +
              (odd.empty() ? "" : "; other folders: " + listing) +
              ". A class index is a folder's position in the sorted listing, so these would shift the labels: "
              "remove the other folders, or give --synsets FILE (one wnid per line, e.g. LOC_synset_mapping.txt)");
}

RawSplit pack_split(const std::string& src, const std::string& split_name, const std::map<std::string, int64_t>& labels,
                    int64_t keep, const PrepareOptions& options, std::string& subset) {
  std::vector<std::vector<LabeledFile>> synset_files;
  std::vector<std::string> missing;
  for (const auto& [wnid, label] : labels) {  // std::map: synsets in name order
    const std::string dir = src + "/" + split_name + "/" + wnid;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      missing.push_back(wnid);
      continue;
    }
    synset_files.emplace_back();
    for (const auto& p : list_image_files(dir)) synset_files.back().push_back({p, label});
  }
  // A partial download is usable (and the tests use tiny trees), so missing synsets warn once, not fail.
  if (!missing.empty()) {
    std::cerr << "bgm prepare: warning: " << missing.size() << " of " << labels.size()
              << " Restricted ImageNet synset folders missing under " << src << "/" << split_name << " (";
    for (size_t i = 0; i < missing.size() && i < 5; ++i) std::cerr << (i ? " " : "") << missing[i];
    std::cerr << (missing.size() > 5 ? " ...)" : ")") << ", skipped\n";
  }
  size_t found = 0;
  for (const auto& files : synset_files) found += files.size();
  if (found == 0) throw Error(src + "/" + split_name + ": no images found in the Restricted ImageNet synset folders");
  const std::vector<LabeledFile> files =
      stratified_subsample(synset_files, keep > 0 ? keep : static_cast<int64_t>(found));
  if (keep > static_cast<int64_t>(found))
    std::cerr << "bgm prepare: warning: " << src << "/" << split_name << " has " << found << " images, fewer than the "
              << keep << " asked for; keeping them all\n";
  if (!subset.empty()) subset += "; ";
  subset += split_name + " " + std::to_string(files.size()) + " of " + std::to_string(found);
  if (options.progress)
    std::cerr << "bgm prepare: restricted-imagenet " << split_name << ": " << files.size() << " images\n";
  DecodeOptions decode;
  decode.threads = options.threads;
  decode.progress_label = options.progress ? "restricted-imagenet " + split_name : "";
  return decode_into_split(files, decode);
}

}  // namespace

RawDataset pack_restricted_imagenet(const std::string& src, const PrepareOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(src + "/train", ec))
    throw Error(src + "/train: missing folder; expected the ImageNet layout SRC/train/<wnid>/*.JPEG and "
                "SRC/val/<wnid>/*.JPEG (val sorted into synset folders)");
  const std::vector<std::string> synsets = options.synsets_file.empty() ? synsets_from_train_folders(src + "/train")
                                                                         : read_synsets_file(options.synsets_file);
  const std::string origin = options.synsets_file.empty() ? src + "/train" : options.synsets_file;
  if (synsets.size() != kImageNetClasses)
    std::cerr << "bgm prepare: warning: " << origin << " lists " << synsets.size() << " synsets, expected "
              << kImageNetClasses << "; class indices follow its line order anyway\n";
  std::map<std::string, int64_t> labels;  // wnid -> super-class label
  const auto& classes = restricted_imagenet_classes();
  for (size_t label = 0; label < classes.size(); ++label)
    for (int index = classes[label].first; index <= classes[label].last && index < static_cast<int>(synsets.size());
         ++index)
      if (!labels.emplace(synsets[index], static_cast<int64_t>(label)).second)
        throw Error(origin + ": synset " + synsets[index] + " appears twice");
  if (labels.empty())
    throw Error(origin + ": only " + std::to_string(synsets.size()) +
                " synsets, none in the Restricted ImageNet ranges (the lowest index used is 30)");

  RawDataset ds = raw_dataset_from_facts("restricted-imagenet");
  ds.classes = static_cast<int64_t>(classes.size());
  std::string counts;
  ds.train = pack_split(src, "train", labels, options.train_size, options, counts);
  ds.test = pack_split(src, "val", labels, options.test_size, options, counts);
  if (options.train_size > 0 || options.test_size > 0)
    ds.subset = "stratified subsample (" + counts +
                "): per synset in proportion to its size (largest remainder), the files whose names have the "
                "smallest FNV-1a 64-bit hashes";
  // The paper gives no normalization; the train split's own statistics are the natural choice.
  channel_mean_std(ds.train, ds.mean, ds.std);
  return ds;
}

}  // namespace bgm
