// `bgm prepare cifar10`: a PNG copy (<index>_<class>.png) decoded in index order, and the official binary layout
// written back, read by the CIFAR-10 reader as the same images.
#include "data/formats/cifar10_from_png.h"

#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "data/formats/cifar_binary.h"
#include "image_writers.h"
#include "test_files.h"

namespace bgm {
namespace {

using test::error_of;
using test::TempDir;

PrepareOptions quiet() {
  PrepareOptions options;
  options.threads = 2;
  options.progress = false;
  return options;
}

// Image i of a split is flat (i, 2i, 3i) mod 256 and has class i % 10; written in a shuffled order of names.
void write_png_copy(const std::string& root, int64_t train, int64_t test) {
  const auto& classes = cinic10_classes();
  for (const auto& [split, count] : {std::pair<std::string, int64_t>{"train", train}, {"test", test}}) {
    std::filesystem::create_directories(root + "/" + split);
    for (int64_t k = count - 1; k >= 0; --k)
      test::write_png(root + "/" + split + "/" + std::to_string(k) + "_" + classes[k % 10] + ".png", 32, 32, 3,
                      test::solid_rgb(32, 32, uint8_t(k), uint8_t(2 * k), uint8_t(3 * k)));
  }
}

TEST(Cifar10FromPng, DecodesInIndexOrderNotNameOrder) {
  TempDir dir;
  write_png_copy(dir / "png", 12, 3);  // names sort 0, 1, 10, 11, 2, ...: the index must decide
  const RawDataset ds = pack_cifar10_png(dir / "png", quiet(), 12, 3);
  ASSERT_EQ(ds.train.count, 12);
  ASSERT_EQ(ds.test.count, 3);
  for (int64_t i = 0; i < 12; ++i) {
    EXPECT_EQ(ds.train.labels[i], i % 10);
    const uint8_t* image = ds.train.pixels.data() + i * 3072;
    EXPECT_EQ(image[5], i);            // red plane
    EXPECT_EQ(image[1024 + 7], 2 * i);  // green plane
    EXPECT_EQ(image[2048], 3 * i);      // blue plane
  }
}

TEST(Cifar10FromPng, OfficialLayoutReadsBackAsTheSameImages) {
  TempDir dir;
  RawDataset ds;
  ds.classes = 10;
  for (auto* split : {&ds.train, &ds.test}) {
    split->count = split == &ds.train ? 50000 : 10000;
    split->channels = 3;
    split->height = split->width = 32;
    split->pixels.resize(static_cast<size_t>(split->count) * 3072);
    for (size_t i = 0; i < split->pixels.size(); ++i) split->pixels[i] = uint8_t(i * 2654435761u >> 24);
    for (int64_t i = 0; i < split->count; ++i) split->labels.push_back((i * 7) % 10);
  }
  write_cifar10_batches(ds, dir / "cifar-10-batches-bin");
  EXPECT_EQ(read_file(dir / "cifar-10-batches-bin/data_batch_1.bin").size(), 10000u * 3073);
  const RawDataset back = read_cifar10(dir / "cifar-10-batches-bin");
  EXPECT_EQ(back.train.pixels, ds.train.pixels);
  EXPECT_EQ(back.train.labels, ds.train.labels);
  EXPECT_EQ(back.test.pixels, ds.test.pixels);
  EXPECT_EQ(back.test.labels, ds.test.labels);
  EXPECT_EQ(read_file(dir / "cifar-10-batches-bin/batches.meta.txt").substr(0, 20), "airplane\nautomobile\n");
}

TEST(Cifar10FromPng, ErrorsNameTheFileOrIndex) {
  TempDir dir;
  write_png_copy(dir / "png", 4, 2);
  EXPECT_NE(error_of([&] { pack_cifar10_png(dir / "png", quiet(), 5, 2); }).find("holds 4 images, expected"),
            std::string::npos);
  test::write_png(dir / "png/train/4_zebra.png", 32, 32, 3, test::solid_rgb(32, 32, 1, 2, 3));
  EXPECT_NE(error_of([&] { pack_cifar10_png(dir / "png", quiet(), 5, 2); }).find("4_zebra.png: expected a name"),
            std::string::npos);
  std::filesystem::remove(dir / "png/train/4_zebra.png");
  test::write_png(dir / "png/train/03_cat.png", 32, 32, 3, test::solid_rgb(32, 32, 1, 2, 3));
  EXPECT_NE(error_of([&] { pack_cifar10_png(dir / "png", quiet(), 5, 2); }).find("index 3 also in"), std::string::npos);
  // An index too long for any number is a bad name, not an internal error.
  std::filesystem::remove(dir / "png/train/03_cat.png");
  test::write_png(dir / "png/train/99999999999999999999_airplane.png", 32, 32, 3, test::solid_rgb(32, 32, 1, 2, 3));
  const std::string message = error_of([&] { pack_cifar10_png(dir / "png", quiet(), 5, 2); });
  EXPECT_NE(message.find("99999999999999999999_airplane.png: index 99999999999999999999 is out of range"),
            std::string::npos) << message;
  EXPECT_NE(error_of([&] { pack_cifar10_png(dir / "nowhere", quiet()); }).find("missing folder"), std::string::npos);
}

}  // namespace
}  // namespace bgm
