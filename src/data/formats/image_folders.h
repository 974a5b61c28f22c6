// Turning folders of image files (CINIC-10, ImageNet) into a RawDataset for `bgm prepare`: sorted file
// lists, parallel decoding into fixed slots (so the result does not depend on the thread count), statistics.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/raw_dataset.h"

namespace bgm {

struct LabeledFile {
  std::string path;
  int64_t label = 0;
};

// Image files (.png, .jpg, .jpeg in any case) directly in DIR, sorted by name. Throws if DIR is missing.
std::vector<std::string> list_image_files(const std::string& dir);
// Subfolders of DIR, sorted by name.
std::vector<std::string> list_subfolders(const std::string& dir);

struct DecodeOptions {
  int64_t height = 32, width = 32;
  bool require_exact_size = false;  // CINIC-10: every image must already be height x width
  int threads = 0;                  // 0 = all hardware threads
  std::string progress_label;       // "" = silent; else progress lines on stderr
};
// Decodes every file, resizes (area averaging) unless require_exact_size, and fills the split in file order.
RawSplit decode_into_split(const std::vector<LabeledFile>& files, const DecodeOptions& options);

// Per-channel mean and (population) std of pixels/255 over a split's images.
void channel_mean_std(const RawSplit& split, std::vector<float>& mean, std::vector<float>& std_dev);

}  // namespace bgm
