// CIFAR-10/100 binary readers on tiny batch files written in the official record layout, and broken ones.
#include "data/formats/cifar_binary.h"

#include <gtest/gtest.h>

#include "test_files.h"

namespace bgm {
namespace {

using test::TempDir;
using test::error_of;
using test::write_bytes;

// Record i of a batch: label byte(s), then 3072 pixels whose value encodes (batch, record, position).
std::string cifar_record(std::vector<uint8_t> label_bytes, uint8_t seed) {
  std::string record(label_bytes.begin(), label_bytes.end());
  for (int p = 0; p < 3072; ++p) record.push_back(static_cast<char>((seed * 31 + p) & 0xff));
  return record;
}

void write_cifar10(const std::string& folder, int records_per_batch) {
  for (int b = 1; b <= 6; ++b) {
    std::string batch;
    for (int r = 0; r < records_per_batch; ++r)
      batch += cifar_record({static_cast<uint8_t>((b + r) % 10)}, static_cast<uint8_t>(10 * b + r));
    write_bytes(folder + (b <= 5 ? "/data_batch_" + std::to_string(b) + ".bin" : "/test_batch.bin"), batch);
  }
}

TEST(CifarBinary, Cifar10ReadsAllBatchesInOrder) {
  TempDir dir;
  write_cifar10(dir / "cifar-10-batches-bin", 2);
  // The folder itself and its parent both work.
  for (const std::string& root : {dir / "cifar-10-batches-bin", dir.path()}) {
    const RawDataset ds = read_cifar10(root);
    EXPECT_EQ(ds.name, "cifar10");
    EXPECT_EQ(ds.classes, 10);
    ASSERT_EQ(ds.train.count, 10);
    ASSERT_EQ(ds.test.count, 2);
    EXPECT_EQ(ds.train.channels, 3);
    EXPECT_EQ(ds.train.height, 32);
    EXPECT_EQ(ds.train.width, 32);
    ASSERT_EQ(ds.train.pixels.size(), 10u * 3072);
    ASSERT_EQ(ds.test.pixels.size(), 2u * 3072);
    // Train record 3 = batch 2, record 1: label (2+1)%10, pixels seeded 21.
    EXPECT_EQ(ds.train.labels[3], 3);
    EXPECT_EQ(ds.train.pixels[3 * 3072 + 0], static_cast<uint8_t>(21 * 31));
    EXPECT_EQ(ds.train.pixels[3 * 3072 + 1500], static_cast<uint8_t>(21 * 31 + 1500));
    EXPECT_EQ(ds.test.labels[1], 7);
    EXPECT_EQ(ds.test.pixels[3072 + 5], static_cast<uint8_t>(61 * 31 + 5));
    EXPECT_EQ(ds.mean.size(), 3u);
    EXPECT_FLOAT_EQ(ds.mean[0], 0.4914f);
    EXPECT_FLOAT_EQ(ds.std[2], 0.2010f);
  }
}

TEST(CifarBinary, Cifar100KeepsFineLabels) {
  TempDir dir;
  const std::string folder = dir / "cifar-100-binary";
  write_bytes(folder + "/train.bin", cifar_record({3, 97}, 1) + cifar_record({19, 42}, 2) + cifar_record({0, 0}, 3));
  write_bytes(folder + "/test.bin", cifar_record({7, 99}, 4));
  const RawDataset ds = read_cifar100(folder);
  EXPECT_EQ(ds.classes, 100);
  ASSERT_EQ(ds.train.count, 3);
  EXPECT_EQ(ds.train.labels, (std::vector<int64_t>{97, 42, 0}));
  EXPECT_EQ(ds.test.labels, (std::vector<int64_t>{99}));
  EXPECT_EQ(ds.train.pixels[3072 + 10], static_cast<uint8_t>(2 * 31 + 10));
  EXPECT_FLOAT_EQ(ds.mean[1], 0.4865f);
}

TEST(CifarBinary, TruncatedBatchNamesTheFile) {
  TempDir dir;
  write_cifar10(dir.path(), 2);
  write_bytes(dir / "data_batch_3.bin", cifar_record({1}, 1) + cifar_record({2}, 2).substr(0, 1000));
  const std::string message = error_of([&] { read_cifar10(dir.path()); });
  EXPECT_NE(message.find("data_batch_3.bin"), std::string::npos) << message;
  EXPECT_NE(message.find("3073"), std::string::npos) << message;
}

TEST(CifarBinary, MissingBatchNamesTheFile) {
  TempDir dir;
  write_cifar10(dir.path(), 2);
  std::filesystem::remove(dir / "data_batch_5.bin");
  const std::string message = error_of([&] { read_cifar10(dir.path()); });
  EXPECT_NE(message.find("data_batch_5.bin"), std::string::npos) << message;
  EXPECT_NE(message.find("missing"), std::string::npos) << message;
}

// A job that trains on the first n images needs only the batch files holding them (a subset that travels light).
TEST(CifarBinary, FirstTrainImagesNeedOnlyTheirBatches) {
  TempDir dir;
  write_cifar10(dir.path(), 2);
  for (int b = 3; b <= 5; ++b) std::filesystem::remove(dir / ("data_batch_" + std::to_string(b) + ".bin"));
  for (int64_t first : {1, 2, 3, 4}) {
    const RawDataset ds = read_cifar10(dir.path(), first);
    EXPECT_EQ(ds.train.count, first <= 2 ? 2 : 4) << first;
    EXPECT_EQ(ds.test.count, 2);
    EXPECT_EQ(ds.train.labels[1], 2);  // batch 1, record 1
  }
  const std::string message = error_of([&] { read_cifar10(dir.path(), 5); });
  EXPECT_NE(message.find("data_batch_3.bin"), std::string::npos) << message;
  EXPECT_NE(message.find("data_batch_3.bin"), std::string::npos) << error_of([&] { read_cifar10(dir.path()); });
}

// One record too many in one file and one cut short in another (whole records, so the sizes alone look fine):
// another dataset than the job names, refused naming the folder and every file's count.
TEST(CifarBinary, BatchesWithUnequalRecordCountsAreAnError) {
  TempDir dir;
  write_cifar10(dir.path(), 2);
  write_bytes(dir / "data_batch_1.bin", test::read_all(dir / "data_batch_1.bin") + cifar_record({1}, 1));
  write_bytes(dir / "data_batch_3.bin", cifar_record({1}, 1));
  for (int64_t first : {0, 1}) {  // a first-n job reads data_batch_1.bin alone but checks the others' sizes
    const std::string message = error_of([&] { read_cifar10(dir.path(), first); });
    EXPECT_NE(message.find(dir.path() + ": the training batch files hold different numbers of records"),
              std::string::npos) << message;
    EXPECT_NE(message.find("data_batch_1.bin 3"), std::string::npos) << message;
    EXPECT_NE(message.find("data_batch_3.bin 1"), std::string::npos) << message;
  }
}

// Equal but non-official counts (test fixtures, hand-made subsets) load, with one warning naming the folder.
TEST(CifarBinary, UnofficialCountsWarnOnceNamingTheFolder) {
  TempDir dir;
  write_cifar10(dir.path(), 2);
  testing::internal::CaptureStderr();
  read_cifar10(dir.path());
  read_cifar10(dir.path());
  const std::string warnings = testing::internal::GetCapturedStderr();
  const std::string expected =
      "warning: " + dir.path() + " holds 2 records per training batch file and 2 in test_batch.bin";
  EXPECT_NE(warnings.find(expected), std::string::npos) << warnings;
  EXPECT_EQ(warnings.find(expected), warnings.rfind(expected)) << "warned twice: " << warnings;
}

TEST(CifarBinary, LabelOutOfRangeIsAnError) {
  TempDir dir;
  write_bytes(dir / "train.bin", cifar_record({1, 100}, 1));
  write_bytes(dir / "test.bin", cifar_record({1, 2}, 1));
  const std::string message = error_of([&] { read_cifar100(dir.path()); });
  EXPECT_NE(message.find("train.bin"), std::string::npos) << message;
  EXPECT_NE(message.find("label 100"), std::string::npos) << message;
}

TEST(CifarBinary, MissingRootIsAnError) {
  TempDir dir;
  const std::string message = error_of([&] { read_cifar10(dir / "nowhere"); });
  EXPECT_NE(message.find("nowhere"), std::string::npos) << message;
}

}  // namespace
}  // namespace bgm
