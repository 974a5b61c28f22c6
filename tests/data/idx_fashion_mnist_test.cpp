// Fashion-MNIST IDX reader: tiny files in the official format (plain and gzipped), broken ones, and the
// real dataset when the machine has it.
#include "data/formats/idx_fashion_mnist.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "test_files.h"

namespace bgm {
namespace {

using test::error_of;
using test::TempDir;
using test::write_bytes;

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string idx_images(uint32_t count, uint32_t rows, uint32_t cols, uint8_t seed) {
  std::string out = be32(0x803) + be32(count) + be32(rows) + be32(cols);
  for (uint32_t i = 0; i < count * rows * cols; ++i) out.push_back(static_cast<char>((seed + 7 * i) & 0xff));
  return out;
}

std::string idx_labels(const std::vector<uint8_t>& labels) {
  return be32(0x801) + be32(static_cast<uint32_t>(labels.size())) + std::string(labels.begin(), labels.end());
}

void write_gzip(const std::string& path, const std::string& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(gz);
}

// Three train and two test images of 28x28; `gzip` picks the file flavour.
void write_tiny_fmnist(const std::string& root, bool gzip) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"train-images-idx3-ubyte", idx_images(3, 28, 28, 1)},
      {"train-labels-idx1-ubyte", idx_labels({9, 0, 4})},
      {"t10k-images-idx3-ubyte", idx_images(2, 28, 28, 2)},
      {"t10k-labels-idx1-ubyte", idx_labels({1, 8})},
  };
  for (const auto& [name, bytes] : files) {
    if (gzip)
      write_gzip(root + "/" + name + ".gz", bytes);
    else
      write_bytes(root + "/" + name, bytes);
  }
}

void expect_tiny_fmnist(const RawDataset& ds) {
  EXPECT_EQ(ds.name, "fashion-mnist");
  EXPECT_EQ(ds.classes, 10);
  ASSERT_EQ(ds.train.count, 3);
  ASSERT_EQ(ds.test.count, 2);
  EXPECT_EQ(ds.train.channels, 1);
  EXPECT_EQ(ds.train.height, 28);
  EXPECT_EQ(ds.train.width, 28);
  EXPECT_EQ(ds.train.labels, (std::vector<int64_t>{9, 0, 4}));
  EXPECT_EQ(ds.test.labels, (std::vector<int64_t>{1, 8}));
  ASSERT_EQ(ds.train.pixels.size(), 3u * 784);
  EXPECT_EQ(ds.train.pixels[784 + 3], static_cast<uint8_t>(1 + 7 * (784 + 3)));
  EXPECT_EQ(ds.test.pixels[1567], static_cast<uint8_t>(2 + 7 * 1567));
  EXPECT_EQ(ds.mean, std::vector<float>{0.0f});
  EXPECT_EQ(ds.std, std::vector<float>{1.0f});
}

TEST(IdxFashionMnist, ReadsPlainFiles) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  write_tiny_fmnist(dir.path(), false);
  expect_tiny_fmnist(read_fashion_mnist(dir.path()));
}

TEST(IdxFashionMnist, ReadsGzippedFiles) {
  TempDir dir;
  write_tiny_fmnist(dir.path(), true);
  expect_tiny_fmnist(read_fashion_mnist(dir.path()));
}

TEST(IdxFashionMnist, WrongMagicNamesTheFile) {
  TempDir dir;
  write_tiny_fmnist(dir.path(), false);
  write_bytes(dir / "t10k-images-idx3-ubyte", idx_labels({1, 2}));  // a label file where images belong
  const std::string message = error_of([&] { read_fashion_mnist(dir.path()); });
  EXPECT_NE(message.find("t10k-images-idx3-ubyte"), std::string::npos) << message;
  EXPECT_NE(message.find("magic"), std::string::npos) << message;
}

TEST(IdxFashionMnist, TruncatedImagesNameTheFile) {
  TempDir dir;
  write_tiny_fmnist(dir.path(), false);
  write_bytes(dir / "train-images-idx3-ubyte", idx_images(3, 28, 28, 1).substr(0, 16 + 2 * 784));
  const std::string message = error_of([&] { read_fashion_mnist(dir.path()); });
  EXPECT_NE(message.find("train-images-idx3-ubyte"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST(IdxFashionMnist, TruncatedGzipStreamNamesTheFile) {
  TempDir dir;
  write_tiny_fmnist(dir.path(), true);
  const std::string gz = test::read_all(dir / "train-images-idx3-ubyte.gz");
  write_bytes(dir / "train-images-idx3-ubyte.gz", gz.substr(0, gz.size() / 2));
  const std::string message = error_of([&] { read_fashion_mnist(dir.path()); });
  EXPECT_NE(message.find("train-images-idx3-ubyte.gz"), std::string::npos) << message;
}

TEST(IdxFashionMnist, LabelCountMismatchAndRange) {
  TempDir dir;
  write_tiny_fmnist(dir.path(), false);
  write_bytes(dir / "train-labels-idx1-ubyte", idx_labels({1, 2}));
  std::string message = error_of([&] { read_fashion_mnist(dir.path()); });
  EXPECT_NE(message.find("train-labels-idx1-ubyte"), std::string::npos) << message;
  write_bytes(dir / "train-labels-idx1-ubyte", idx_labels({1, 10, 2}));
  message = error_of([&] { read_fashion_mnist(dir.path()); });
  EXPECT_NE(message.find("train-labels-idx1-ubyte"), std::string::npos) << message;
  EXPECT_NE(message.find("0..9"), std::string::npos) << message;
}

TEST(IdxFashionMnist, MissingFileNamesIt) {
  TempDir dir;
  write_tiny_fmnist(dir.path(), true);
  std::filesystem::remove(dir / "t10k-labels-idx1-ubyte.gz");
  const std::string message = error_of([&] { read_fashion_mnist(dir.path()); });
  EXPECT_NE(message.find("t10k-labels-idx1-ubyte"), std::string::npos) << message;
  EXPECT_NE(message.find("missing"), std::string::npos) << message;
}

TEST(IdxFashionMnist, RealDatasetWhenInstalled) {
  const std::string root = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << root << " is not installed";
  const RawDataset ds = read_fashion_mnist(root);
  ASSERT_EQ(ds.train.count, 60000);
  ASSERT_EQ(ds.test.count, 10000);
  EXPECT_EQ(ds.train.pixels.size(), 60000u * 784);
  std::vector<int64_t> per_class(10, 0);
  for (int64_t label : ds.train.labels) {
    ASSERT_GE(label, 0);
    ASSERT_LE(label, 9);
    ++per_class[label];
  }
  for (int64_t label : ds.test.labels) ASSERT_TRUE(label >= 0 && label <= 9);
  for (int64_t n : per_class) EXPECT_EQ(n, 6000);  // Fashion-MNIST is exactly balanced
}

}  // namespace
}  // namespace bgm
