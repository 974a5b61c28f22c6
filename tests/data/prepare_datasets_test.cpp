// `bgm prepare`'s packers on tiny CINIC-10 (PNG) and ImageNet (JPEG) trees written by the test.
#include "data/formats/prepare_datasets.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "data/formats/bgmpack.h"
#include "image_writers.h"
#include "test_files.h"

namespace bgm {
namespace {

using test::error_of;
using test::TempDir;

PrepareOptions quiet(int threads = 2) {
  PrepareOptions options;
  options.threads = threads;
  options.progress = false;
  return options;
}

// Class c's images are flat RGB (10c, 20c, 5c + k) for image k; the last test image of "cat" is grayscale.
void write_cinic_tree(const std::string& root) {
  const auto& classes = cinic10_classes();
  for (const std::string split : {"train", "valid", "test"})
    for (size_t c = 0; c < classes.size(); ++c) {
      const std::string dir = root + "/" + split + "/" + classes[c];
      std::filesystem::create_directories(dir);
      const int images = split == "train" ? 2 : 1;
      for (int k = 0; k < images; ++k)
        test::write_png(dir + "/cifar10-" + split + "-" + std::to_string(k) + ".png", 32, 32, 3,
                        test::solid_rgb(32, 32, uint8_t(10 * c), uint8_t(20 * c), uint8_t(5 * c + k)));
    }
  test::write_png(root + "/test/cat/z-gray.png", 32, 32, 1, std::vector<uint8_t>(32 * 32, 123));
}

TEST(PrepareCinic10, PacksTrainAndTestInClassAndNameOrder) {
  TempDir dir;
  write_cinic_tree(dir / "cinic");
  const RawDataset ds = pack_cinic10(dir / "cinic", quiet());
  EXPECT_EQ(ds.name, "cinic10");
  EXPECT_EQ(ds.classes, 10);
  ASSERT_EQ(ds.train.count, 20);
  ASSERT_EQ(ds.test.count, 11);  // valid is not used
  EXPECT_EQ(ds.train.channels, 3);
  EXPECT_EQ(ds.train.height, 32);
  for (int64_t i = 0; i < 20; ++i) {
    const int64_t c = i / 2, k = i % 2;
    ASSERT_EQ(ds.train.labels[i], c);
    const uint8_t* image = ds.train.pixels.data() + i * 3072;
    EXPECT_EQ(image[0], 10 * c);            // red plane
    EXPECT_EQ(image[1024 + 500], 20 * c);   // green plane
    EXPECT_EQ(image[2048 + 1023], 5 * c + k);
  }
  // Test split: cat (label 3) holds its colour image, then the grayscale one expanded to RGB.
  EXPECT_EQ(ds.test.labels[3], 3);
  EXPECT_EQ(ds.test.labels[4], 3);
  const uint8_t* gray = ds.test.pixels.data() + 4 * 3072;
  EXPECT_EQ(gray[0], 123);
  EXPECT_EQ(gray[1024], 123);
  EXPECT_EQ(gray[2048 + 77], 123);
  EXPECT_FLOAT_EQ(ds.mean[0], 0.47889522f);
  EXPECT_FLOAT_EQ(ds.std[2], 0.25874835f);

  // Through the packed file, as a job loads it.
  write_bgmpack(dir / "cinic10.bgmpack", ds);
  const RawDataset back = read_bgmpack(dir / "cinic10.bgmpack", "cinic10");
  EXPECT_EQ(back.train.pixels, ds.train.pixels);
  EXPECT_EQ(back.test.labels, ds.test.labels);
}

TEST(PrepareCinic10, WrongSizeAndMissingClassFolder) {
  TempDir dir;
  write_cinic_tree(dir / "cinic");
  test::write_png(dir / "cinic/train/ship/odd.png", 31, 32, 3, test::solid_rgb(31, 32, 1, 2, 3));
  std::string message = error_of([&] { pack_cinic10(dir / "cinic", quiet()); });
  EXPECT_NE(message.find("odd.png"), std::string::npos) << message;
  EXPECT_NE(message.find("32x32"), std::string::npos) << message;

  message = error_of([&] { pack_cinic10(dir / "absent", quiet()); });
  EXPECT_NE(message.find("absent: missing folder"), std::string::npos) << message;

  std::filesystem::remove_all(dir / "cinic/train/ship");
  message = error_of([&] { pack_cinic10(dir / "cinic", quiet()); });
  EXPECT_NE(message.find("train/ship"), std::string::npos) << message;
  EXPECT_NE(message.find("missing folder"), std::string::npos) << message;
}

#ifdef BGM_HAVE_JPEG
std::string wnid(int index) {
  char name[16];
  std::snprintf(name, sizeof name, "n%08d", index);
  return name;
}

// SRC/train/<wnid> for ImageNet's 1,000 class indices (n00000000 .. n00000999, in index order), as class indices
// without --synsets require.
void make_train_synset_folders(const std::string& src) {
  for (int i = 0; i < 1000; ++i) std::filesystem::create_directories(src + "/train/" + wnid(i));
}

// A flat-colour JPEG of 64x48 whose red value identifies it.
void write_photo(const std::string& path, uint8_t red) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  test::write_jpeg(path, 64, 48, 3, test::solid_rgb(64, 48, red, 100, 200));
}

TEST(PrepareRestrictedImageNet, SynsetsFileMapsLineNumbersToSuperClasses) {
  TempDir dir;
  const std::string src = dir / "imagenet";
  std::string synsets;
  for (int i = 0; i < 1000; ++i) synsets += wnid(i) + " some words, as in LOC_synset_mapping.txt\n";
  test::write_bytes(dir / "synsets.txt", synsets);
  // 151 = dog (label 0), 30 = frog (label 2), 500 = outside every range.
  write_photo(src + "/train/" + wnid(151) + "/b.JPEG", 10);
  write_photo(src + "/train/" + wnid(151) + "/a.JPEG", 20);
  write_photo(src + "/train/" + wnid(30) + "/x.JPEG", 30);
  write_photo(src + "/train/" + wnid(500) + "/y.JPEG", 40);
  // ImageNet really has a PNG named .JPEG; the decoder goes by content.
  test::write_png(src + "/train/" + wnid(30) + "/y.JPEG", 40, 40, 3, test::solid_rgb(40, 40, 50, 100, 200));
  write_photo(src + "/val/" + wnid(151) + "/v.JPEG", 60);
  write_photo(src + "/val/" + wnid(30) + "/w.JPEG", 70);

  PrepareOptions options = quiet();
  options.synsets_file = dir / "synsets.txt";
  const RawDataset ds = pack_restricted_imagenet(src, options);
  EXPECT_EQ(ds.name, "restricted-imagenet");
  EXPECT_EQ(ds.classes, 9);
  ASSERT_EQ(ds.train.count, 4);
  ASSERT_EQ(ds.test.count, 2);
  EXPECT_EQ(ds.train.height, 32);
  EXPECT_EQ(ds.train.width, 32);
  // Synsets in wnid order (n00000030 before n00000151), files by name within each.
  EXPECT_EQ(ds.train.labels, (std::vector<int64_t>{2, 2, 0, 0}));
  const int expected_red[] = {30, 50, 20, 10};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(ds.train.pixels[i * 3072 + 517], expected_red[i], 3) << "image " << i;
    EXPECT_NEAR(ds.train.pixels[i * 3072 + 1024 + 9], 100, 3) << "image " << i;
    EXPECT_NEAR(ds.train.pixels[i * 3072 + 2048 + 1000], 200, 3) << "image " << i;
  }
  EXPECT_EQ(ds.test.labels, (std::vector<int64_t>{2, 0}));
  // mean/std measured on the train split: red values {30, 50, 20, 10}/255.
  ASSERT_EQ(ds.mean.size(), 3u);
  EXPECT_NEAR(ds.mean[0], 27.5 / 255, 0.01);
  EXPECT_NEAR(ds.std[0], std::sqrt((2.5 * 2.5 + 22.5 * 22.5 + 7.5 * 7.5 + 17.5 * 17.5) / 4) / 255, 0.01);
  EXPECT_NEAR(ds.mean[1], 100.0 / 255, 0.01);
  EXPECT_NEAR(ds.std[1], 0.0, 0.01);

  // The decoding thread count does not change a byte.
  options.threads = 1;
  EXPECT_EQ(pack_restricted_imagenet(src, options).train.pixels, ds.train.pixels);
}

TEST(PrepareRestrictedImageNet, SortedTrainFoldersGiveClassIndices) {
  TempDir dir;
  const std::string src = dir / "imagenet";
  make_train_synset_folders(src);
  write_photo(src + "/train/" + wnid(0) + "/a.JPEG", 10);   // index 0: no super-class
  write_photo(src + "/train/" + wnid(31) + "/a.JPEG", 20);  // frog, label 2
  write_photo(src + "/train/" + wnid(34) + "/a.JPEG", 30);  // turtle, label 3
  write_photo(src + "/val/" + wnid(34) + "/a.JPEG", 40);    // no val folder for 31: skipped with a warning
  const RawDataset ds = pack_restricted_imagenet(src, quiet());
  EXPECT_EQ(ds.train.labels, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ds.test.labels, (std::vector<int64_t>{3}));
}

// --paper-size's mechanism on a tiny tree: a fixed stratified subsample, recorded in the pack.
TEST(PrepareRestrictedImageNet, SubsampleIsStratifiedAndRecorded) {
  TempDir dir;
  const std::string src = dir / "imagenet";
  make_train_synset_folders(src);
  for (int k = 0; k < 4; ++k) write_photo(src + "/train/" + wnid(31) + "/f" + std::to_string(k) + ".JPEG", 10);
  for (int k = 0; k < 2; ++k) write_photo(src + "/train/" + wnid(34) + "/t" + std::to_string(k) + ".JPEG", 20);
  write_photo(src + "/val/" + wnid(34) + "/a.JPEG", 40);
  PrepareOptions options = quiet();
  options.train_size = 3;
  options.test_size = 5;  // more than the one there is: all kept, with a warning
  const RawDataset ds = pack_restricted_imagenet(src, options);
  EXPECT_EQ(ds.train.labels, (std::vector<int64_t>{2, 2, 3}));  // 4:2 of 6 files -> 2:1 of 3
  EXPECT_EQ(ds.test.count, 1);
  EXPECT_NE(ds.subset.find("train 3 of 6"), std::string::npos) << ds.subset;
  EXPECT_NE(ds.subset.find("val 1 of 1"), std::string::npos) << ds.subset;
  EXPECT_EQ(pack_restricted_imagenet(src, options).train.pixels, ds.train.pixels);
  EXPECT_EQ(pack_restricted_imagenet(src, quiet()).subset, "");  // the whole dataset
}

// Class indices from the sorted train folders: one folder too many or too few would shift every label after it,
// so it is an error naming the folder and the odd entries; a synsets file makes the listing irrelevant.
TEST(PrepareRestrictedImageNet, TrainFoldersMustBeExactlyTheThousandSynsets) {
  TempDir dir;
  const std::string src = dir / "imagenet";
  make_train_synset_folders(src);
  write_photo(src + "/train/" + wnid(31) + "/a.JPEG", 20);  // frog, label 2
  write_photo(src + "/val/" + wnid(31) + "/a.JPEG", 40);
  std::filesystem::create_directories(src + "/train/lost+found");
  std::filesystem::create_directories(src + "/train/.cache");
  std::string message = error_of([&] { pack_restricted_imagenet(src, quiet()); });
  EXPECT_NE(message.find(src + "/train: 1000 synset folders (n########); other folders: .cache lost+found"),
            std::string::npos) << message;
  EXPECT_NE(message.find("--synsets"), std::string::npos) << message;

  std::string synsets;
  for (int i = 0; i < 1000; ++i) synsets += wnid(i) + "\n";
  test::write_bytes(dir / "synsets.txt", synsets);
  PrepareOptions options = quiet();
  options.synsets_file = dir / "synsets.txt";
  EXPECT_EQ(pack_restricted_imagenet(src, options).train.labels, (std::vector<int64_t>{2}));

  std::filesystem::remove_all(src + "/train/lost+found");
  std::filesystem::remove_all(src + "/train/.cache");
  std::filesystem::remove_all(src + "/train/" + wnid(7));
  message = error_of([&] { pack_restricted_imagenet(src, quiet()); });
  EXPECT_NE(message.find(src + "/train: 999 synset folders (n########), expected ImageNet's 1000"), std::string::npos)
      << message;
  EXPECT_EQ(pack_restricted_imagenet(src, options).train.labels, (std::vector<int64_t>{2}));
}

TEST(PrepareRestrictedImageNet, ErrorsNameTheirInput) {
  TempDir dir;
  std::string message = error_of([&] { pack_restricted_imagenet(dir / "nothing", quiet()); });
  EXPECT_NE(message.find("nothing/train"), std::string::npos) << message;

  // Too few synsets to reach any range (a synsets file, since train folders must be all 1,000).
  const std::string src = dir / "small";
  for (int i = 0; i < 5; ++i) std::filesystem::create_directories(src + "/train/" + wnid(i));
  test::write_bytes(dir / "five.txt", "n00000000\nn00000001\nn00000002\nn00000003\nn00000004\n");
  PrepareOptions five = quiet();
  five.synsets_file = dir / "five.txt";
  message = error_of([&] { pack_restricted_imagenet(src, five); });
  EXPECT_NE(message.find("five.txt: only 5 synsets"), std::string::npos) << message;

  PrepareOptions options = quiet();
  options.synsets_file = dir / "absent.txt";
  message = error_of([&] { pack_restricted_imagenet(src, options); });
  EXPECT_NE(message.find("absent.txt"), std::string::npos) << message;

  // A corrupt image names itself.
  const std::string broken = dir / "broken";
  make_train_synset_folders(broken);
  test::write_bytes(broken + "/train/" + wnid(30) + "/bad.JPEG", std::string("\xff\xd8\xff\xe0garbage", 11));
  message = error_of([&] { pack_restricted_imagenet(broken, quiet()); });
  EXPECT_NE(message.find("bad.JPEG"), std::string::npos) << message;
}
#endif

}  // namespace
}  // namespace bgm
