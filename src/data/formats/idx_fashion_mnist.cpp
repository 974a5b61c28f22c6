// IDX parsing: big-endian magic 0x00000803 (uint8, 3 dims) for images and 0x00000801 (uint8, 1 dim) for labels.
#include "data/formats/idx_fashion_mnist.h"

#include <cstdio>

#include "core/atomic_file.h"
#include "core/error.h"
#include "data/formats/binary_file.h"

namespace bgm {
namespace {

constexpr uint32_t kIdxImagesMagic = 0x00000803;
constexpr uint32_t kIdxLabelsMagic = 0x00000801;

std::string hex32(uint32_t v) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

// The plain name if present, else NAME.gz: Fashion-MNIST ships gzipped, many mirrors unpack it.
std::string find_idx_file(const std::string& root, const std::string& name) {
  const std::string plain = root + "/" + name;
  if (file_exists(plain)) return plain;
  if (file_exists(plain + ".gz")) return plain + ".gz";
  throw Error(plain + ": missing file (also looked for " + name + ".gz); expected the Fashion-MNIST IDX files in " +
              root);
}

}  // namespace

void read_idx_split(const std::string& images_path, const std::string& labels_path, int64_t classes, RawSplit& split) {
  const std::string images = read_maybe_gzip(images_path);
  const auto* ih = reinterpret_cast<const unsigned char*>(images.data());
  // The magic first: a wrong kind of file is a clearer message than "too short".
  if (images.size() >= 4 && load_u32be(ih) != kIdxImagesMagic)
    throw Error(images_path + ": wrong magic " + hex32(load_u32be(ih)) + ", expected " + hex32(kIdxImagesMagic) +
                " (IDX uint8 images with 3 dimensions)");
  if (images.size() < 16)
    throw Error(images_path + ": truncated file: " + std::to_string(images.size()) +
                " bytes, expected at least the 16-byte IDX image header");
  const int64_t count = load_u32be(ih + 4), rows = load_u32be(ih + 8), cols = load_u32be(ih + 12);
  const uint64_t expected_images = 16 + static_cast<uint64_t>(count) * rows * cols;
  if (images.size() != expected_images)
    throw Error(images_path + ": wrong size " + std::to_string(images.size()) + " bytes, expected " +
                std::to_string(expected_images) + " for " + std::to_string(count) + " images of " +
                std::to_string(rows) + "x" + std::to_string(cols) +
                (images.size() < expected_images ? " (truncated file)" : ""));

  const std::string labels = read_maybe_gzip(labels_path);
  const auto* lh = reinterpret_cast<const unsigned char*>(labels.data());
  if (labels.size() >= 4 && load_u32be(lh) != kIdxLabelsMagic)
    throw Error(labels_path + ": wrong magic " + hex32(load_u32be(lh)) + ", expected " + hex32(kIdxLabelsMagic) +
                " (IDX uint8 labels with 1 dimension)");
  if (labels.size() < 8)
    throw Error(labels_path + ": truncated file: " + std::to_string(labels.size()) +
                " bytes, expected at least the 8-byte IDX label header");
  const int64_t label_count = load_u32be(lh + 4);
  if (label_count != count)
    throw Error(labels_path + ": holds " + std::to_string(label_count) + " labels, expected " + std::to_string(count) +
                " to match " + images_path);
  if (labels.size() != 8 + static_cast<uint64_t>(count))
    throw Error(labels_path + ": wrong size " + std::to_string(labels.size()) + " bytes, expected " +
                std::to_string(8 + count) + (labels.size() < 8 + static_cast<uint64_t>(count) ? " (truncated file)" : ""));

  split.count = count;
  split.channels = 1;
  split.height = rows;
  split.width = cols;
  split.pixels.assign(images.begin() + 16, images.end());
  split.labels.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t label = lh[8 + i];
    if (label >= classes)
      throw Error(labels_path + ": label " + std::to_string(i) + " is " + std::to_string(label) + ", expected 0.." +
                  std::to_string(classes - 1));
    split.labels[i] = label;
  }
}

RawDataset read_fashion_mnist(const std::string& root) {
  if (root.empty()) throw Error("dataset.root: empty; expected the folder holding the Fashion-MNIST IDX files");
  RawDataset ds = raw_dataset_from_facts("fashion-mnist");  // plain [0,1] pixels: mean 0, std 1
  read_idx_split(find_idx_file(root, "train-images-idx3-ubyte"), find_idx_file(root, "train-labels-idx1-ubyte"),
                 ds.classes, ds.train);
  read_idx_split(find_idx_file(root, "t10k-images-idx3-ubyte"), find_idx_file(root, "t10k-labels-idx1-ubyte"),
                 ds.classes, ds.test);
  return ds;
}

}  // namespace bgm
