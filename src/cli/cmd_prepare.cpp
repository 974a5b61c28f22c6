// `bgm prepare cinic10|restricted-imagenet --src DIR [--out FILE.bgmpack]`: packs a folder-of-images dataset
// once into the .bgmpack file that jobs load (as fast as CIFAR's binary batches).
#include <chrono>
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "core/job_presets.h"
#include "data/formats/bgmpack.h"
#include "data/formats/prepare_datasets.h"

namespace bgm {
namespace {

int run_prepare(const std::vector<std::string>& args) {
  const ParsedArgs a =
      parse_args(args, "prepare", {"--src", "--out", "--synsets", "--threads"}, {"--quiet", "--paper-size"});
  if (a.positional.size() != 1 || (a.positional[0] != "cinic10" && a.positional[0] != "restricted-imagenet"))
    throw Error("expected one dataset name, cinic10 or restricted-imagenet (the others are read as shipped)");
  const std::string name = a.positional[0];
  if (!a.has("--src")) throw Error("flag --src is required (the dataset's unpacked folder)");
  if (a.has("--synsets") && name != "restricted-imagenet")
    throw Error("flag --synsets applies to restricted-imagenet only");
  if (a.has("--paper-size") && name != "restricted-imagenet")
    throw Error("flag --paper-size applies to restricted-imagenet only (the others already have the paper's size)");
  // By default the file goes where jobs look for it: $BGM_DATA/<name>.bgmpack (see job_presets.cpp).
  const std::string out = a.has("--out") ? a.get("--out") : default_data_root(*find_dataset(name));
  const long long threads = a.get_int("--threads", 0);
  if (threads < 0) throw Error("flag --threads: expected >= 0 (0 = all hardware threads), got " + std::to_string(threads));

  PrepareOptions options;
  options.threads = static_cast<int>(threads);
  options.progress = !a.has("--quiet");
  options.synsets_file = a.get("--synsets");
  if (a.has("--paper-size")) {
    options.train_size = kPaperRestrictedImageNetTrain;
    options.test_size = kPaperRestrictedImageNetTest;
  }
  const auto start = std::chrono::steady_clock::now();
  const RawDataset ds = name == "cinic10" ? pack_cinic10(a.get("--src"), options)
                                          : pack_restricted_imagenet(a.get("--src"), options);
  write_bgmpack(out, ds);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "bgm prepare: wrote " << out << ": " << name << ", " << ds.classes << " classes, " << ds.train.count
            << " train and " << ds.test.count << " test images of " << ds.train.channels << "x" << ds.train.height
            << "x" << ds.train.width << ", mean (";
  for (size_t c = 0; c < ds.mean.size(); ++c) std::cout << (c ? ", " : "") << ds.mean[c];
  std::cout << ") std (";
  for (size_t c = 0; c < ds.std.size(); ++c) std::cout << (c ? ", " : "") << ds.std[c];
  std::cout << "), " << static_cast<long long>(seconds) << " s\n";
  if (!ds.subset.empty()) std::cout << "bgm prepare: kept a " << ds.subset << "\n";
  return 0;
}

CommandRegistration registration{{
    "prepare",
    "cinic10|restricted-imagenet --src DIR [--out FILE.bgmpack] [--synsets FILE] [--paper-size] [--threads N] [--quiet]",
    "pack a folder-of-images dataset into the .bgmpack file jobs load (default: $BGM_DATA/<name>.bgmpack)",
    run_prepare,
    "  cinic10 | restricted-imagenet   the dataset (the others are read as shipped)\n"
    "  --src DIR           the dataset's unpacked folder (required)\n"
    "  --out FILE          the pack to write (default: $BGM_DATA/<name>.bgmpack, where jobs look for it)\n"
    "  --synsets FILE      restricted-imagenet: the class-to-synset file (default: the built-in ranges)\n"
    "  --paper-size        restricted-imagenet: keep the paper's 123000 train and 4800 test images, a fixed\n"
    "                      subsample stratified over the 203 synsets (default: all ~257k / 10.2k)\n"
    "  --threads N         decoding threads (default 0 = all hardware threads)\n"
    "  --quiet             no progress bar\n\n"
    "example: bgm prepare cinic10 --src ~/data/CINIC-10\n"
    "         bgm prepare restricted-imagenet --src ~/data/ILSVRC/Data/CLS-LOC --paper-size",
}};

}  // namespace
}  // namespace bgm
