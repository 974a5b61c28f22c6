// .bgmpack round trip and the reader's checks on damaged files.
#include "data/formats/bgmpack.h"

#include <gtest/gtest.h>

#include "test_files.h"

namespace bgm {
namespace {

using test::error_of;
using test::TempDir;
using test::write_bytes;

RawDataset tiny_dataset() {
  RawDataset ds;
  ds.name = "cinic10";
  ds.classes = 10;
  for (RawSplit* split : {&ds.train, &ds.test}) {
    split->channels = 3;
    split->height = 4;
    split->width = 2;
  }
  ds.train.count = 3;
  ds.train.labels = {9, 0, 5};
  ds.test.count = 2;
  ds.test.labels = {1, 1};
  for (int i = 0; i < 3 * 24; ++i) ds.train.pixels.push_back(static_cast<uint8_t>(3 * i + 1));
  for (int i = 0; i < 2 * 24; ++i) ds.test.pixels.push_back(static_cast<uint8_t>(255 - i));
  ds.mean = {0.1f, 0.2f, 0.3f};
  ds.std = {0.25f, 0.5f, 0.75f};
  return ds;
}

// Header of tiny_dataset(): 8 magic + 4 version + 4 + 7 name + 4 + 0 subset + 16 shape + 16 counts + 24 mean/std.
constexpr size_t kTinyHeader = 83;
constexpr size_t kTinySize = kTinyHeader + 5 * (4 + 24);

TEST(Bgmpack, RoundTrip) {
  TempDir dir;
  const RawDataset original = tiny_dataset();
  write_bgmpack(dir / "tiny.bgmpack", original);
  EXPECT_EQ(std::filesystem::file_size(dir / "tiny.bgmpack"), kTinySize);
  const RawDataset back = read_bgmpack(dir / "tiny.bgmpack", "cinic10");
  EXPECT_EQ(back.name, "cinic10");
  EXPECT_EQ(back.classes, 10);
  EXPECT_EQ(back.mean, original.mean);
  EXPECT_EQ(back.std, original.std);
  for (auto [a, b] : {std::make_pair(&original.train, &back.train), std::make_pair(&original.test, &back.test)}) {
    EXPECT_EQ(b->count, a->count);
    EXPECT_EQ(b->channels, 3);
    EXPECT_EQ(b->height, 4);
    EXPECT_EQ(b->width, 2);
    EXPECT_EQ(b->labels, a->labels);
    EXPECT_EQ(b->pixels, a->pixels);
  }
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
}

TEST(Bgmpack, LayoutIsLittleEndianAsDocumented) {
  TempDir dir;
  write_bgmpack(dir / "tiny.bgmpack", tiny_dataset());
  const std::string bytes = test::read_all(dir / "tiny.bgmpack");
  EXPECT_EQ(bytes.substr(0, 8), std::string("BGMPACK\0", 8));
  EXPECT_EQ(bytes.substr(8, 4), std::string("\x02\0\0\0", 4));   // version
  EXPECT_EQ(bytes.substr(12, 4), std::string("\x07\0\0\0", 4));  // name length
  EXPECT_EQ(bytes.substr(16, 7), "cinic10");
  EXPECT_EQ(bytes.substr(23, 4), std::string("\0\0\0\0", 4));    // subset length: the whole dataset
  EXPECT_EQ(bytes.substr(27, 4), std::string("\x0a\0\0\0", 4));  // classes
  EXPECT_EQ(bytes.substr(43, 8), std::string("\x03\0\0\0\0\0\0\0", 8));  // train count
  EXPECT_EQ(bytes.substr(kTinyHeader, 4), std::string("\x09\0\0\0", 4));  // first train label
  EXPECT_EQ(static_cast<uint8_t>(bytes[kTinyHeader + 12]), 1);               // first train pixel
}

TEST(Bgmpack, SubsetDescriptionRoundTrips) {
  TempDir dir;
  RawDataset original = tiny_dataset();
  original.subset = "paper size: 2 of 3 train images per class, by fnv1a64 of the file name";
  write_bgmpack(dir / "sub.bgmpack", original);
  EXPECT_EQ(std::filesystem::file_size(dir / "sub.bgmpack"), kTinySize + original.subset.size());
  const RawDataset back = read_bgmpack(dir / "sub.bgmpack");
  EXPECT_EQ(back.subset, original.subset);
  EXPECT_EQ(back.train.pixels, original.train.pixels);
  original.subset.assign(4096, 'x');
  EXPECT_THROW(write_bgmpack(dir / "long.bgmpack", original), Error);
}

// Packs written before the subset field (version 1) still load, as whole datasets.
TEST(Bgmpack, ReadsVersionOnePacks) {
  TempDir dir;
  write_bgmpack(dir / "v2.bgmpack", tiny_dataset());
  std::string bytes = test::read_all(dir / "v2.bgmpack");
  bytes[8] = 1;
  bytes.erase(23, 4);  // version 1 has no subset length
  write_bytes(dir / "v1.bgmpack", bytes);
  const RawDataset back = read_bgmpack(dir / "v1.bgmpack", "cinic10");
  EXPECT_EQ(back.subset, "");
  EXPECT_EQ(back.train.labels, tiny_dataset().train.labels);
  EXPECT_EQ(back.test.pixels, tiny_dataset().test.pixels);
}

TEST(Bgmpack, TruncatedFileNamesItAndTheExpectedSize) {
  TempDir dir;
  write_bgmpack(dir / "tiny.bgmpack", tiny_dataset());
  const std::string bytes = test::read_all(dir / "tiny.bgmpack");
  write_bytes(dir / "cut.bgmpack", bytes.substr(0, bytes.size() - 10));
  std::string message = error_of([&] { read_bgmpack(dir / "cut.bgmpack"); });
  EXPECT_NE(message.find("cut.bgmpack"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(kTinySize)), std::string::npos) << message;
  // Cut inside the header.
  write_bytes(dir / "stub.bgmpack", bytes.substr(0, 20));
  message = error_of([&] { read_bgmpack(dir / "stub.bgmpack"); });
  EXPECT_NE(message.find("stub.bgmpack"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  // Trailing garbage is as wrong as missing bytes.
  write_bytes(dir / "long.bgmpack", bytes + "xx");
  message = error_of([&] { read_bgmpack(dir / "long.bgmpack"); });
  EXPECT_NE(message.find("trailing"), std::string::npos) << message;
}

TEST(Bgmpack, WrongMagicVersionNameAndLabel) {
  TempDir dir;
  write_bgmpack(dir / "tiny.bgmpack", tiny_dataset());
  std::string bytes = test::read_all(dir / "tiny.bgmpack");
  std::string bad = bytes;
  bad[0] = 'X';
  write_bytes(dir / "magic.bgmpack", bad);
  std::string message = error_of([&] { read_bgmpack(dir / "magic.bgmpack"); });
  EXPECT_NE(message.find("magic.bgmpack"), std::string::npos) << message;
  EXPECT_NE(message.find("wrong magic"), std::string::npos) << message;

  bad = bytes;
  bad[8] = 3;
  write_bytes(dir / "version.bgmpack", bad);
  message = error_of([&] { read_bgmpack(dir / "version.bgmpack"); });
  EXPECT_NE(message.find("version 3"), std::string::npos) << message;
  EXPECT_NE(message.find("bgm prepare"), std::string::npos) << message;

  message = error_of([&] { read_bgmpack(dir / "tiny.bgmpack", "restricted-imagenet"); });
  EXPECT_NE(message.find("restricted-imagenet"), std::string::npos) << message;

  bad = bytes;
  bad[kTinyHeader + 4] = 10;  // second train label = 10 with 10 classes
  write_bytes(dir / "label.bgmpack", bad);
  message = error_of([&] { read_bgmpack(dir / "label.bgmpack"); });
  EXPECT_NE(message.find("label.bgmpack"), std::string::npos) << message;
  EXPECT_NE(message.find("0..9"), std::string::npos) << message;
}

TEST(Bgmpack, MissingFileNamesIt) {
  TempDir dir;
  const std::string message = error_of([&] { read_bgmpack(dir / "absent.bgmpack"); });
  EXPECT_NE(message.find("absent.bgmpack"), std::string::npos) << message;
  EXPECT_NE(message.find("missing"), std::string::npos) << message;
}

TEST(Bgmpack, WriterRejectsInconsistentDatasets) {
  TempDir dir;
  RawDataset ds = tiny_dataset();
  ds.train.labels[1] = 10;
  EXPECT_THROW(write_bgmpack(dir / "x.bgmpack", ds), Error);
  ds = tiny_dataset();
  ds.test.pixels.pop_back();
  EXPECT_THROW(write_bgmpack(dir / "x.bgmpack", ds), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.bgmpack"));
}

}  // namespace
}  // namespace bgm
