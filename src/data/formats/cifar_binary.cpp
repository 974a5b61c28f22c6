// Readers of the binary CIFAR files; record sizes are checked against the file size before reading.
#include "data/formats/cifar_binary.h"

#include <filesystem>
#include <vector>

#include "core/error.h"
#include "data/formats/binary_file.h"

namespace bgm {
namespace {

constexpr int64_t kCifarImageBytes = 3 * 32 * 32;

// The official archives unpack into a named folder; accept that folder or the one holding it.
std::string resolve_cifar_folder(const std::string& root, const std::string& archive_folder,
                                 const std::string& probe_file) {
  if (root.empty()) throw Error("dataset.root: empty; expected the " + archive_folder + " folder");
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(fs::path(root) / probe_file, ec)) return root;
  const fs::path nested = fs::path(root) / archive_folder;
  if (fs::exists(nested / probe_file, ec)) return nested.string();
  if (!fs::is_directory(root, ec))
    throw Error(root + ": missing folder; expected the " + archive_folder + " folder holding " + probe_file);
  return root;  // the file reader names the missing file
}

// Appends every record of one batch file. `label_bytes` is 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine);
// the last label byte is the one kept.
void append_batch(const std::string& path, int label_bytes, int64_t classes, RawSplit& split) {
  BinaryFileReader in(path);
  const int64_t record = label_bytes + kCifarImageBytes;
  if (in.size() == 0 || in.size() % record != 0)
    throw Error(path + ": wrong size " + std::to_string(in.size()) + " bytes; expected a non-zero multiple of " +
                std::to_string(record) + " (records of " + std::to_string(label_bytes) + " label byte(s) + 3072 pixels)" +
                (in.size() % record != 0 ? ", so the file is truncated or not a CIFAR binary batch" : ""));
  const int64_t count = static_cast<int64_t>(in.size()) / record;
  const size_t pixel_start = split.pixels.size();
  split.pixels.resize(pixel_start + count * kCifarImageBytes);
  split.labels.reserve(split.labels.size() + count);
  std::vector<unsigned char> buffer(record);
  for (int64_t i = 0; i < count; ++i) {
    in.read(buffer.data(), record, "record " + std::to_string(i));
    const int64_t label = buffer[label_bytes - 1];
    if (label >= classes)
      throw Error(path + ": record " + std::to_string(i) + " has label " + std::to_string(label) + ", expected 0.." +
                  std::to_string(classes - 1));
    split.labels.push_back(label);
    std::copy(buffer.begin() + label_bytes, buffer.end(), split.pixels.begin() + pixel_start + i * kCifarImageBytes);
  }
  split.count += count;
  split.channels = 3;
  split.height = split.width = 32;
}

}  // namespace

RawDataset read_cifar10(const std::string& root, int64_t first_train) {
  const std::string folder = resolve_cifar_folder(root, "cifar-10-batches-bin", "test_batch.bin");
  RawDataset ds = raw_dataset_from_facts("cifar10");
  for (int b = 1; b <= 5 && (first_train <= 0 || ds.train.count < first_train); ++b)
    append_batch(folder + "/data_batch_" + std::to_string(b) + ".bin", 1, ds.classes, ds.train);
  append_batch(folder + "/test_batch.bin", 1, ds.classes, ds.test);
  return ds;
}

RawDataset read_cifar100(const std::string& root) {
  const std::string folder = resolve_cifar_folder(root, "cifar-100-binary", "test.bin");
  RawDataset ds = raw_dataset_from_facts("cifar100");
  append_batch(folder + "/train.bin", 2, ds.classes, ds.train);
  append_batch(folder + "/test.bin", 2, ds.classes, ds.test);
  return ds;
}

}  // namespace bgm
