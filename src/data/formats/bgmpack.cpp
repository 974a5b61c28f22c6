// Writer and validating reader of the .bgmpack format documented in bgmpack.h.
#include "data/formats/bgmpack.h"

#include <cstring>

#include "core/error.h"
#include "data/formats/binary_file.h"

namespace bgm {
namespace {

constexpr size_t kMaxSubsetLength = 4095;

constexpr char kMagic[8] = {'B', 'G', 'M', 'P', 'A', 'C', 'K', '\0'};
constexpr uint64_t kMaxDimension = 1u << 16;  // sanity bound: a corrupt header must not ask for terabytes

void check_split_shape(const RawDataset& ds, const RawSplit& split, const std::string& which, const std::string& path) {
  const uint64_t image = static_cast<uint64_t>(split.channels * split.height * split.width);
  if (split.labels.size() != static_cast<size_t>(split.count) || split.pixels.size() != split.count * image)
    throw Error(path + ": cannot write " + which + " split: holds " + std::to_string(split.labels.size()) +
                " labels and " + std::to_string(split.pixels.size()) + " pixel bytes for count " +
                std::to_string(split.count));
  for (int64_t label : split.labels)
    if (label < 0 || label >= ds.classes)
      throw Error(path + ": cannot write " + which + " split: label " + std::to_string(label) + " outside 0.." +
                  std::to_string(ds.classes - 1));
}

void write_split(AtomicOutputFile& out, const RawSplit& split) {
  std::string labels;
  labels.reserve(split.labels.size() * 4);
  for (int64_t label : split.labels) append_u32le(labels, static_cast<uint32_t>(label));
  out.write(labels);
  out.write(split.pixels.data(), split.pixels.size());
}

void read_split(BinaryFileReader& in, const std::string& which, uint64_t count, int64_t classes, uint64_t image_bytes,
                RawSplit& split) {
  std::vector<unsigned char> raw_labels(count * 4);
  in.read(raw_labels.data(), raw_labels.size(), which + " labels");
  split.labels.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    const unsigned char* p = raw_labels.data() + 4 * i;
    const uint32_t label = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
    if (label >= classes)
      throw Error(in.path() + ": " + which + " label " + std::to_string(i) + " is " + std::to_string(label) +
                  ", expected 0.." + std::to_string(classes - 1));
    split.labels[i] = label;
  }
  split.pixels.resize(count * image_bytes);
  in.read(split.pixels.data(), split.pixels.size(), which + " pixels");
  split.count = static_cast<int64_t>(count);
}

}  // namespace

void write_bgmpack(const std::string& path, const RawDataset& ds) {
  if (ds.name.empty() || ds.name.size() > 255) throw Error(path + ": dataset name must have 1..255 characters");
  if (ds.train.channels != ds.test.channels || ds.train.height != ds.test.height || ds.train.width != ds.test.width)
    throw Error(path + ": train and test images differ in shape");
  if (ds.mean.size() != static_cast<size_t>(ds.train.channels) || ds.std.size() != ds.mean.size())
    throw Error(path + ": expected one mean and one std per channel (" + std::to_string(ds.train.channels) + ")");
  check_split_shape(ds, ds.train, "train", path);
  check_split_shape(ds, ds.test, "test", path);

  std::string header(kMagic, sizeof kMagic);
  append_u32le(header, kBgmpackVersion);
  append_u32le(header, static_cast<uint32_t>(ds.name.size()));
  header += ds.name;
  if (ds.subset.size() > kMaxSubsetLength) throw Error(path + ": subset description longer than 4095 bytes");
  append_u32le(header, static_cast<uint32_t>(ds.subset.size()));
  header += ds.subset;
  for (int64_t v : {ds.classes, ds.train.channels, ds.train.height, ds.train.width})
    append_u32le(header, static_cast<uint32_t>(v));
  append_u64le(header, static_cast<uint64_t>(ds.train.count));
  append_u64le(header, static_cast<uint64_t>(ds.test.count));
  for (float m : ds.mean) append_f32le(header, m);
  for (float s : ds.std) append_f32le(header, s);

  AtomicOutputFile out(path);
  out.write(header);
  write_split(out, ds.train);
  write_split(out, ds.test);
  out.commit();
}

RawDataset read_bgmpack(const std::string& path, const std::string& expected_name) {
  if (path.empty()) throw Error("dataset.root: empty; expected a .bgmpack file made by `bgm prepare`");
  BinaryFileReader in(path);
  char magic[8];
  in.read(magic, sizeof magic, "magic");
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0)
    throw Error(path + ": wrong magic; expected a .bgmpack file (starting with \"BGMPACK\") made by `bgm prepare`");
  const uint32_t version = in.read_u32le("version");
  if (version != 1 && version != kBgmpackVersion)
    throw Error(path + ": .bgmpack version " + std::to_string(version) + ", expected 1 or " +
                std::to_string(kBgmpackVersion) + " (re-run `bgm prepare`)");
  const uint32_t name_length = in.read_u32le("name length");
  if (name_length == 0 || name_length > 255)
    throw Error(path + ": name length " + std::to_string(name_length) + " in header, expected 1..255");
  RawDataset ds;
  ds.name.resize(name_length);
  in.read(&ds.name[0], name_length, "name");
  if (!expected_name.empty() && ds.name != expected_name)
    throw Error(path + ": holds dataset '" + ds.name + "', expected '" + expected_name + "'");
  if (version >= 2) {
    const uint32_t subset_length = in.read_u32le("subset length");
    if (subset_length > kMaxSubsetLength)
      throw Error(path + ": subset length " + std::to_string(subset_length) + " in header, expected 0..4095");
    ds.subset.resize(subset_length);
    if (subset_length > 0) in.read(&ds.subset[0], subset_length, "subset");
  }

  const uint64_t classes = in.read_u32le("classes"), channels = in.read_u32le("channels");
  const uint64_t height = in.read_u32le("height"), width = in.read_u32le("width");
  if (classes < 1 || classes > kMaxDimension || channels < 1 || channels > 4 || height < 1 ||
      height > kMaxDimension || width < 1 || width > kMaxDimension)
    throw Error(path + ": implausible header: classes " + std::to_string(classes) + ", shape " +
                std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width) +
                " (expected classes >= 1, 1..4 channels)");
  const uint64_t train_count = in.read_u64le("train count"), test_count = in.read_u64le("test count");
  ds.classes = static_cast<int64_t>(classes);
  ds.mean.resize(channels);
  ds.std.resize(channels);
  for (auto& m : ds.mean) m = in.read_f32le("mean");
  for (auto& s : ds.std) s = in.read_f32le("std");

  // Check the whole size up front, so truncation is reported before gigabytes are allocated and read.
  const uint64_t image_bytes = channels * height * width;
  const uint64_t body = (train_count + test_count) * (4 + image_bytes);
  if (train_count > (1ull << 40) / image_bytes || test_count > (1ull << 40) / image_bytes ||
      in.remaining() != body)
    throw Error(path + ": wrong size " + std::to_string(in.size()) + " bytes, expected " +
                std::to_string(in.offset() + body) + " for " + std::to_string(train_count) + " train and " +
                std::to_string(test_count) + " test images of " + std::to_string(channels) + "x" +
                std::to_string(height) + "x" + std::to_string(width) +
                (in.remaining() < body ? " (truncated file)" : " (trailing bytes)"));
  for (RawSplit* split : {&ds.train, &ds.test}) {
    split->channels = static_cast<int64_t>(channels);
    split->height = static_cast<int64_t>(height);
    split->width = static_cast<int64_t>(width);
  }
  read_split(in, "train", train_count, ds.classes, image_bytes, ds.train);
  read_split(in, "test", test_count, ds.classes, image_bytes, ds.test);
  return ds;
}

}  // namespace bgm
