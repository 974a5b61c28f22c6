// Building the packed datasets of `bgm prepare` from their distributed folder layouts.
#pragma once
#include <string>
#include <vector>

#include "data/raw_dataset.h"

namespace bgm {

struct PrepareOptions {
  int threads = 0;             // decoding threads, 0 = all hardware threads
  bool progress = true;        // progress lines on stderr
  std::string synsets_file;    // restricted-imagenet: optional wnid list, line number = class index
  // restricted-imagenet: keep this many train / val images, stratified over the synsets (stratified_subsample.h);
  // 0 = all. `bgm prepare --paper-size` sets the paper's sizes below.
  int64_t train_size = 0, test_size = 0;
};

// "approximately 123k" train and "4.8k" test images (paper, section 3), against the ~257k / 10.2k that the
// super-class ranges cover in ImageNet.
constexpr int64_t kPaperRestrictedImageNetTrain = 123000;
constexpr int64_t kPaperRestrictedImageNetTest = 4800;

// CINIC-10: SRC/{train,test}/<class>/*.png, the 10 CIFAR class folders; every image 32x32 (grayscale ones are
// expanded to RGB). The valid split is not used: the paper trains on train (90k) and tests on test (90k).
RawDataset pack_cinic10(const std::string& src, const PrepareOptions& options);

// The ten CINIC-10 / CIFAR-10 class folder names, in label order.
const std::vector<std::string>& cinic10_classes();

// Restricted ImageNet: SRC/train/<wnid>/* and SRC/val/<wnid>/* (val sorted into synset folders). A synset's
// ImageNet class index is its position in the sorted train folder list, which must then hold exactly the 1,000
// n######## folders (anything else is an error naming the folder and the odd entries), or its line in
// options.synsets_file;
// the 9 super-classes of Tsipras et al. keep their inclusive index ranges. Images are resized to 32x32 by area
// averaging, which squashes the aspect ratio (no center crop, as the paper's "resize to 32x32" reads); mean/std are
// measured on the train split. With options.train_size/test_size the pack keeps a stratified subsample and says so
// in RawDataset::subset.
RawDataset pack_restricted_imagenet(const std::string& src, const PrepareOptions& options);

struct SuperClass {
  std::string name;
  int first, last;  // inclusive ImageNet class indices
};
const std::vector<SuperClass>& restricted_imagenet_classes();  // label order 0..8

}  // namespace bgm
