#include "data/formats/cifar10_from_png.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "data/formats/image_folders.h"

namespace bgm {
namespace {

constexpr int64_t kTrainImages = 50000, kTestImages = 10000, kRecordsPerBatch = 10000;
constexpr int64_t kImageBytes = 3 * 32 * 32;

// "<i>_<class>.png" -> (i, label); throws naming the file otherwise.
std::pair<int64_t, int64_t> index_and_label(const std::string& path) {
  const std::string stem = std::filesystem::path(path).stem().string();
  const size_t underscore = stem.find('_');
  const auto& classes = cinic10_classes();  // CIFAR-10's ten class names, in label order
  if (underscore != std::string::npos && underscore > 0 &&
      std::all_of(stem.begin(), stem.begin() + static_cast<std::ptrdiff_t>(underscore), ::isdigit)) {
    const auto found = std::find(classes.begin(), classes.end(), stem.substr(underscore + 1));
    if (found != classes.end()) {
      int64_t index = 0;
      const auto parsed = std::from_chars(stem.data(), stem.data() + underscore, index);
      if (parsed.ec != std::errc())  // too many digits for a number: no split is that large
        throw Error(path + ": index " + stem.substr(0, underscore) + " is out of range for CIFAR-10");
      return {index, static_cast<int64_t>(found - classes.begin())};
    }
  }
  throw Error(path + ": expected a name <index>_<class>.png with a CIFAR-10 class (airplane ... truck)");
}

RawSplit pack_split(const std::string& src, const std::string& split, int64_t count, const PrepareOptions& options) {
  const std::string dir = src + "/" + split;
  const auto paths = list_image_files(dir);  // throws "<dir>: missing folder"
  if (static_cast<int64_t>(paths.size()) != count)
    throw Error(dir + ": holds " + std::to_string(paths.size()) + " images, expected CIFAR-10's " +
                std::to_string(count) + " (" + split + "/<index>_<class>.png)");
  std::vector<LabeledFile> files(static_cast<size_t>(count));
  for (const auto& p : paths) {
    const auto [index, label] = index_and_label(p);
    if (index >= count) throw Error(p + ": index " + std::to_string(index) + " beyond the " + split + " split's " + std::to_string(count));
    if (!files[index].path.empty()) throw Error(p + ": index " + std::to_string(index) + " also in " + files[index].path);
    files[index] = {p, label};
  }
  DecodeOptions decode;
  decode.require_exact_size = true;
  decode.threads = options.threads;
  decode.progress_label = options.progress ? "cifar10 " + split : "";
  return decode_into_split(files, decode);
}

std::string records(const RawSplit& split, int64_t first, int64_t count) {
  std::string out;
  out.reserve(static_cast<size_t>(count * (1 + kImageBytes)));
  for (int64_t i = first; i < first + count; ++i) {
    out.push_back(static_cast<char>(split.labels[i]));
    const auto* pixels = split.pixels.data() + i * kImageBytes;  // CHW: R plane, G plane, B plane
    out.append(reinterpret_cast<const char*>(pixels), kImageBytes);
  }
  return out;
}

}  // namespace

RawDataset pack_cifar10_png(const std::string& src, const PrepareOptions& options, int64_t train_images,
                            int64_t test_images) {
  std::error_code ec;
  if (!std::filesystem::is_directory(src, ec))
    throw Error(src + ": missing folder; expected CIFAR-10 as PNGs: train/<index>_<class>.png and test/...");
  RawDataset ds = raw_dataset_from_facts("cifar10");
  ds.train = pack_split(src, "train", train_images, options);
  ds.test = pack_split(src, "test", test_images, options);
  return ds;
}

void write_cifar10_batches(const RawDataset& ds, const std::string& folder) {
  if (ds.train.count != kTrainImages || ds.test.count != kTestImages)
    throw Error(folder + ": the official layout needs 50,000 train and 10,000 test images");
  make_dirs(folder);
  for (int64_t b = 0; b < kTrainImages / kRecordsPerBatch; ++b)
    write_file_atomic(folder + "/data_batch_" + std::to_string(b + 1) + ".bin",
                      records(ds.train, b * kRecordsPerBatch, kRecordsPerBatch), "CIFAR-10 batch");
  write_file_atomic(folder + "/test_batch.bin", records(ds.test, 0, kTestImages), "CIFAR-10 batch");
  std::string meta;
  for (const auto& name : cinic10_classes()) meta += name + "\n";
  write_file_atomic(folder + "/batches.meta.txt", meta + "\n", "CIFAR-10 class names");
}

}  // namespace bgm
