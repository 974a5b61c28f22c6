// The built-in catalogue: the published checksums, and targets that are where the job presets look.
#include "data/fetch/dataset_catalog.h"

#include <gtest/gtest.h>

#include "core/dataset_facts.h"
#include "core/job_presets.h"
#include "test_files.h"

namespace bgm {
namespace {

TEST(FetchCatalog, BuiltinHoldsThePublishedChecksums) {
  const auto catalog = load_fetch_catalog();
  const std::string origin = "built-in";
  EXPECT_EQ(find_fetch_source(catalog, "cifar10", origin).md5, "c32a1d4ab5d03f1284b67883e8d87530");
  EXPECT_EQ(find_fetch_source(catalog, "cifar100", origin).md5, "03b5dce01913d631647c71ecec9e9cb8");
  EXPECT_EQ(find_fetch_source(catalog, "cinic10", origin).md5, "6ee4d0c996905fe93221de577967a372");
  const auto& cifar10 = find_fetch_source(catalog, "cifar10", origin);
  ASSERT_EQ(cifar10.files.size(), 6u);
  EXPECT_EQ(cifar10.files[0].md5, "5dd7e06a14cb22eb9f671a540d1b7c25");
  EXPECT_EQ(cifar10.files[5].path, "test_batch.bin");
  EXPECT_EQ(cifar10.files[5].md5, "803d5f7f4d78ea53de84dbe85f74fb6d");
  int64_t records = 0;
  for (const auto& f : cifar10.files) records += f.records;
  EXPECT_EQ(records, 60000);
  EXPECT_EQ(find_fetch_source(catalog, "cinic10", origin).train, 90000);
  EXPECT_EQ(find_fetch_source(catalog, "restricted-imagenet", origin).format, "manual");
}

TEST(FetchCatalog, TargetsAreWhereJobsLook) {
  for (const auto& source : load_fetch_catalog()) {
    const DatasetFacts* preset = find_dataset_facts(source.name);
    ASSERT_NE(preset, nullptr) << source.name;
    EXPECT_EQ(source.target, preset->root_subdir) << source.name;
  }
}

TEST(FetchCatalog, ErrorsNameTheFileAndKey) {
  test::TempDir dir;
  test::write_bytes(dir / "c.json", R"({"cifar10": {"format": "cifar10-binary", "archive": "a.tgz", "url": "u",
      "target": "t", "files": [{"path": "x.bin", "records": 1}]}})");
  std::string message = test::error_of([&] { load_fetch_catalog(dir / "c.json"); });
  EXPECT_NE(message.find("c.json"), std::string::npos) << message;
  EXPECT_NE(message.find("md5"), std::string::npos) << message;
  test::write_bytes(dir / "d.json", R"({"cifar10": {"format": "zip", "target": "t"}})");
  message = test::error_of([&] { load_fetch_catalog(dir / "d.json"); });
  EXPECT_NE(message.find("cifar10.format"), std::string::npos) << message;
  message = test::error_of([&] { find_fetch_source(load_fetch_catalog(), "svhn", "built-in"); });
  EXPECT_NE(message.find("cifar10, cifar100, cinic10"), std::string::npos) << message;
}

}  // namespace
}  // namespace bgm
