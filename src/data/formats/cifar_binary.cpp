// Readers of the binary CIFAR files; record sizes are checked against the file size before reading.
#include "data/formats/cifar_binary.h"

#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <vector>

#include "core/error.h"
#include "data/formats/binary_file.h"

namespace bgm {
namespace {

constexpr int64_t kCifarImageBytes = 3 * 32 * 32;
constexpr int64_t kOfficialCifar10PerBatch = 10000, kOfficialCifar100Train = 50000, kOfficialTestImages = 10000;

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

// The number of records in one batch file, from its size; a size that is not a whole number of records is an error.
int64_t record_count(const std::string& path, int label_bytes) {
  const int64_t record = label_bytes + kCifarImageBytes;
  const uint64_t size = BinaryFileReader(path).size();  // throws naming a missing file
  if (size == 0 || size % record != 0)
    throw Error(path + ": wrong size " + std::to_string(size) + " bytes; expected a non-zero multiple of " +
                std::to_string(record) + " (records of " + std::to_string(label_bytes) +
                " label byte(s) + 3072 pixels)" + (size % record != 0 ? ", so the file is truncated or not a CIFAR binary batch" : ""));
  return static_cast<int64_t>(size) / record;
}

// Appends every record of one batch file. `label_bytes` is 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine);
// the last label byte is the one kept.
void append_batch(const std::string& path, int label_bytes, int64_t classes, RawSplit& split) {
  const int64_t count = record_count(path, label_bytes), record = label_bytes + kCifarImageBytes;
  BinaryFileReader in(path);
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

// The five training batches must hold equally many records: a file with one too many or one cut short is another
// dataset than the one the job names. A batch a first-n job skips is checked too when it is there.
void check_equal_batches(const std::string& folder, int64_t first_train) {
  std::string listing;
  int64_t first_count = -1;
  bool equal = true;
  for (int b = 1; b <= 5; ++b) {
    const std::string name = "data_batch_" + std::to_string(b) + ".bin", path = folder + "/" + name;
    std::error_code ec;
    if (first_train > 0 && !std::filesystem::exists(path, ec)) continue;  // a subset that travels light
    const int64_t count = record_count(path, 1);
    if (first_count < 0) first_count = count;
    equal = equal && count == first_count;
    listing += (listing.empty() ? "" : ", ") + name + " " + std::to_string(count);
  }
  if (!equal)
    throw Error(folder + ": the training batch files hold different numbers of records (" + listing +
                "); each data_batch_N.bin must hold as many as the others (10,000 in the official files)");
}

// Non-official record counts are fine for tests and travelling subsets, but results will not match the paper's:
// said once per folder and process.
void warn_unofficial_counts(const std::string& folder, const std::string& counts) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  const std::lock_guard<std::mutex> lock(mutex);
  if (warned.insert(folder).second)
    std::cerr << "bgm: warning: " << folder << " holds " << counts << ", not the official dataset\n";
}

}  // namespace

RawDataset read_cifar10(const std::string& root, int64_t first_train) {
  const std::string folder = resolve_cifar_folder(root, "cifar-10-batches-bin", "test_batch.bin");
  check_equal_batches(folder, first_train);
  RawDataset ds = raw_dataset_from_facts("cifar10");
  int64_t per_batch = 0;
  for (int b = 1; b <= 5 && (first_train <= 0 || ds.train.count < first_train); ++b) {
    append_batch(folder + "/data_batch_" + std::to_string(b) + ".bin", 1, ds.classes, ds.train);
    if (b == 1) per_batch = ds.train.count;
  }
  append_batch(folder + "/test_batch.bin", 1, ds.classes, ds.test);
  if (per_batch != kOfficialCifar10PerBatch || ds.test.count != kOfficialTestImages)
    warn_unofficial_counts(folder, std::to_string(per_batch) + " records per training batch file and " +
                                       std::to_string(ds.test.count) + " in test_batch.bin (official: 10,000 each)");
  return ds;
}

RawDataset read_cifar100(const std::string& root) {
  const std::string folder = resolve_cifar_folder(root, "cifar-100-binary", "test.bin");
  RawDataset ds = raw_dataset_from_facts("cifar100");
  append_batch(folder + "/train.bin", 2, ds.classes, ds.train);
  append_batch(folder + "/test.bin", 2, ds.classes, ds.test);
  if (ds.train.count != kOfficialCifar100Train || ds.test.count != kOfficialTestImages)
    warn_unofficial_counts(folder, std::to_string(ds.train.count) + " records in train.bin and " +
                                       std::to_string(ds.test.count) + " in test.bin (official: 50,000 and 10,000)");
  return ds;
}

}  // namespace bgm
