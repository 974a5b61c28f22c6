#include "data/fetch/dataset_catalog.h"

#include "core/error.h"
#include "core/json_reader.h"

namespace bgm {
namespace {

// The datasets' own sites and their published md5s (CIFAR: cs.toronto.edu/~kriz/cifar.html; CINIC-10: the
// Edinburgh DataShare record, doi:10.7488/ds/2448). CIFAR-10's per-file md5s are those of the official batches.
constexpr const char* kBuiltinCatalog = R"json({
  "cifar10": {
    "format": "cifar10-binary",
    "archive": "cifar-10-binary.tar.gz",
    "url": "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
    "md5": "c32a1d4ab5d03f1284b67883e8d87530",
    "bytes": 170052171,
    "archive_root": "cifar-10-batches-bin",
    "target": "cifar-10-batches-bin",
    "files": [
      {"path": "data_batch_1.bin", "records": 10000, "md5": "5dd7e06a14cb22eb9f671a540d1b7c25"},
      {"path": "data_batch_2.bin", "records": 10000, "md5": "5ea93a67294ea407fff1d09f752e9692"},
      {"path": "data_batch_3.bin", "records": 10000, "md5": "942cd6a4bcdd0dd3c604fbe906cb4421"},
      {"path": "data_batch_4.bin", "records": 10000, "md5": "ae636b3ba5c66a11e91e8cb52e771fcb"},
      {"path": "data_batch_5.bin", "records": 10000, "md5": "53f37980c15c3d472c316c40844f3f0d"},
      {"path": "test_batch.bin", "records": 10000, "md5": "803d5f7f4d78ea53de84dbe85f74fb6d"}
    ]
  },
  "cifar100": {
    "format": "cifar100-binary",
    "archive": "cifar-100-binary.tar.gz",
    "url": "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
    "md5": "03b5dce01913d631647c71ecec9e9cb8",
    "archive_root": "cifar-100-binary",
    "target": "cifar-100-binary",
    "files": [
      {"path": "train.bin", "records": 50000},
      {"path": "test.bin", "records": 10000}
    ]
  },
  "cinic10": {
    "format": "cinic10-folders",
    "archive": "CINIC-10.tar.gz",
    "url": "https://datashare.ed.ac.uk/bitstream/handle/10283/3192/CINIC-10.tar.gz",
    "md5": "6ee4d0c996905fe93221de577967a372",
    "bytes": 687544992,
    "archive_root": "",
    "target": "cinic10.bgmpack",
    "images": "CINIC-10",
    "train": 90000,
    "test": 90000
  },
  "restricted-imagenet": {
    "format": "manual",
    "target": "restricted-imagenet.bgmpack",
    "manual": [
      "Restricted ImageNet is cut from ImageNet (ILSVRC 2012), whose terms each user accepts, so bgm cannot download it:",
      "  1. sign up at https://image-net.org/download-images and download ILSVRC2012_img_train.tar (138 GB) and",
      "     ILSVRC2012_img_val.tar (6.3 GB), or take the same images from Kaggle's imagenet-object-localization-challenge;",
      "  2. unpack them as DIR/train/<wnid>/*.JPEG and DIR/val/<wnid>/*.JPEG (the validation images sorted into",
      "     synset folders, e.g. with the widely used valprep.sh);",
      "  3. bgm prepare restricted-imagenet --src DIR --paper-size",
      "     (writes $BGM_DATA/restricted-imagenet.bgmpack: the paper's 123000 train and 4800 test images at 32x32)."
    ]
  }
})json";

FetchSource parse_source(const std::string& name, const boost::json::value& value, const std::string& origin) {
  JsonReader r = JsonReader::of(value, origin, name);
  FetchSource s;
  s.name = name;
  s.format = r.get_choice("format", {"cifar10-binary", "cifar100-binary", "cinic10-folders", "manual"});
  s.target = r.get_string("target");
  if (s.format == "manual") {
    if (const auto* lines = r.raw("manual")) {
      if (!lines->is_array()) r.fail("manual", "expected a list of lines");
      for (const auto& line : lines->as_array()) {
        if (!line.is_string()) r.fail("manual", "expected a list of lines");
        s.manual.push_back(std::string(line.as_string()));
      }
    }
    r.finish();
    return s;
  }
  s.archive = r.get_string("archive");
  s.url = r.get_string("url");
  s.md5 = r.get_string("md5", "");
  s.sha256 = r.get_string("sha256", "");
  if (s.md5.empty() && s.sha256.empty()) r.fail("md5", "an archive needs a published md5 or sha256");
  if (!s.md5.empty() && s.md5.size() != 32) r.fail("md5", "expected 32 hex digits");
  if (!s.sha256.empty() && s.sha256.size() != 64) r.fail("sha256", "expected 64 hex digits");
  s.bytes = r.get_int("bytes", 0, 0);
  s.archive_root = r.get_string("archive_root", "");
  if (s.format == "cinic10-folders") {
    s.images = r.get_string("images");
    s.train = r.get_int("train", std::nullopt, 1);
    s.test = r.get_int("test", std::nullopt, 1);
  } else if (const auto* files = r.raw("files")) {
    if (!files->is_array()) r.fail("files", "expected a list of {path, records, md5}");
    for (size_t i = 0; i < files->as_array().size(); ++i) {
      JsonReader f = JsonReader::of(files->as_array()[i], origin, name + ".files[" + std::to_string(i) + "]");
      s.files.push_back({f.get_string("path"), f.get_int("records", std::nullopt, 1), f.get_string("md5", "")});
      f.finish();
    }
  }
  if (s.format != "cinic10-folders" && s.files.empty()) r.fail("files", "expected the files the archive holds");
  r.finish();
  return s;
}

}  // namespace

std::vector<FetchSource> load_fetch_catalog(const std::string& catalog_file) {
  const std::string origin = catalog_file.empty() ? "the built-in catalogue" : catalog_file;
  const boost::json::value doc =
      catalog_file.empty() ? parse_json_text(kBuiltinCatalog, origin) : parse_json_file(catalog_file);
  if (!doc.is_object()) throw Error(origin + ": expected an object of datasets");
  std::vector<FetchSource> catalog;
  for (const auto& [name, value] : doc.as_object()) catalog.push_back(parse_source(std::string(name), value, origin));
  return catalog;
}

const FetchSource& find_fetch_source(const std::vector<FetchSource>& catalog, const std::string& name,
                                     const std::string& origin) {
  std::string names;
  for (const auto& source : catalog) {
    if (source.name == name) return source;
    names += (names.empty() ? "" : ", ") + source.name;
  }
  throw Error("unknown dataset '" + name + "' in " + origin + "; expected one of " + names);
}

}  // namespace bgm
