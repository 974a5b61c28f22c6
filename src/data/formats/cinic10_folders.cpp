// CINIC-10 from its PNG folders into a RawDataset (train and test splits; valid is unused, as in the paper).
#include <filesystem>
#include <iostream>

#include "core/error.h"
#include "data/formats/image_folders.h"
#include "data/formats/prepare_datasets.h"

namespace bgm {

const std::vector<std::string>& cinic10_classes() {
  static const std::vector<std::string> names = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                 "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

namespace {

RawSplit pack_cinic10_split(const std::string& src, const std::string& split_name, const PrepareOptions& options) {
  std::vector<LabeledFile> files;
  const auto& classes = cinic10_classes();
  for (size_t label = 0; label < classes.size(); ++label) {
    const std::string dir = src + "/" + split_name + "/" + classes[label];
    const auto paths = list_image_files(dir);  // throws "<dir>: missing folder"
    if (paths.empty()) throw Error(dir + ": holds no .png images; expected the CINIC-10 " + split_name + " images");
    for (const auto& p : paths) files.push_back({p, static_cast<int64_t>(label)});
  }
  if (options.progress) std::cerr << "bgm prepare: cinic10 " << split_name << ": " << files.size() << " images\n";
  DecodeOptions decode;
  decode.require_exact_size = true;
  decode.threads = options.threads;
  decode.progress_label = options.progress ? "cinic10 " + split_name : "";
  return decode_into_split(files, decode);
}

}  // namespace

RawDataset pack_cinic10(const std::string& src, const PrepareOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(src, ec))
    throw Error(src + ": missing folder; expected unpacked CINIC-10 (train/ and test/, each with the 10 class folders)");
  RawDataset ds = raw_dataset_from_facts("cinic10");  // its normalization is stored in the pack
  ds.train = pack_cinic10_split(src, "train", options);
  ds.test = pack_cinic10_split(src, "test", options);
  return ds;
}

}  // namespace bgm
