// load_raw_dataset picks the reader by the job's dataset name and passes root and seed through.
#include "data/raw_dataset.h"

#include <gtest/gtest.h>

#include "core/job_presets.h"
#include "data/formats/bgmpack.h"
#include "test_files.h"

namespace bgm {
namespace {

using test::error_of;
using test::TempDir;

TEST(LoadRawDataset, ToyUsesTheSeed) {
  DatasetSpec spec;
  spec.name = "toy-gaussians";
  spec.toy_points_per_class = kToyPaper.points_per_class;
  spec.toy_test_points_per_class = kToyPaper.test_points_per_class;
  spec.toy_center = kToyPaper.center;
  spec.toy_std = kToyPaper.std_dev;
  const RawDataset a = load_raw_dataset(spec, 1), b = load_raw_dataset(spec, 2);
  EXPECT_EQ(a.train.count, 2 * spec.toy_points_per_class);
  EXPECT_EQ(a.test.count, 2 * spec.toy_test_points_per_class);
  EXPECT_NE(a.train.points, b.train.points);
}

TEST(LoadRawDataset, PackedDatasetsReadTheirFileAndCheckTheName) {
  TempDir dir;
  RawDataset ds;
  ds.name = "restricted-imagenet";
  ds.classes = 9;
  for (RawSplit* split : {&ds.train, &ds.test}) {
    split->count = 1;
    split->channels = 3;
    split->height = split->width = 32;
    split->labels = {8};
    split->pixels.assign(3072, 5);
  }
  ds.mean = {0.5f, 0.5f, 0.5f};
  ds.std = {0.2f, 0.2f, 0.2f};
  write_bgmpack(dir / "ri.bgmpack", ds);

  DatasetSpec spec;
  spec.name = "restricted-imagenet";
  spec.root = dir / "ri.bgmpack";
  EXPECT_EQ(load_raw_dataset(spec, 0).test.labels, std::vector<int64_t>{8});
  spec.name = "cinic10";
  EXPECT_NE(error_of([&] { load_raw_dataset(spec, 0); }).find("expected 'cinic10'"), std::string::npos);
  spec.root = dir / "cinic10.bgmpack";
  const std::string message = error_of([&] { load_raw_dataset(spec, 0); });
  EXPECT_NE(message.find("cinic10.bgmpack"), std::string::npos) << message;
  EXPECT_NE(message.find("bgm prepare cinic10"), std::string::npos) << message;
}

TEST(LoadRawDataset, UnknownNameIsAnError) {
  DatasetSpec spec;
  spec.name = "mnist";
  const std::string message = error_of([&] { load_raw_dataset(spec, 0); });
  EXPECT_NE(message.find("mnist"), std::string::npos) << message;
  EXPECT_NE(message.find("dataset.name"), std::string::npos) << message;
}

TEST(LoadRawDataset, FashionMnistFromItsDefaultRootWhenInstalled) {
  DatasetSpec spec;
  spec.name = "fashion-mnist";
  spec.root = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(spec.root)) GTEST_SKIP() << spec.root << " is not installed";
  const RawDataset ds = load_raw_dataset(spec, 0);
  EXPECT_EQ(ds.train.count, 60000);
  EXPECT_EQ(ds.test.count, 10000);
}

}  // namespace
}  // namespace bgm
