// `bgm prepare cinic10|restricted-imagenet --src DIR [--out FILE.bgmpack]`: packs a folder-of-images dataset
// once into the .bgmpack file that jobs load (as fast as CIFAR's binary batches).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/prepare_output.h"
#include "core/error.h"
#include "core/dataset_facts.h"
#include "core/atomic_file.h"
#include "data/formats/bgmpack.h"
#include "data/formats/cifar10_from_png.h"
#include "data/formats/prepare_datasets.h"
#ifdef BGM_HAVE_FETCH
#include "data/fetch/dataset_catalog.h"
#include "data/fetch/file_digest.h"
#endif

namespace bgm {
namespace {

// The official md5s of the rebuilt files, from bgm fetch's catalogue; empty where bgm was built without it.
std::vector<std::pair<std::string, std::string>> official_cifar10_md5s() {
  std::vector<std::pair<std::string, std::string>> out;
#ifdef BGM_HAVE_FETCH
  const std::vector<FetchSource> catalog = load_fetch_catalog();
  for (const auto& f : find_fetch_source(catalog, "cifar10", "built-in catalogue").files)
    if (!f.md5.empty()) out.emplace_back(f.path, f.md5);
#endif
  return out;
}

// `bgm prepare cifar10 --src DIR`: the official binary files from a PNG copy, written into a staging folder,
// checked against the official md5s and only then renamed to where jobs read them.
int prepare_cifar10_from_png(const ParsedArgs& a) {
  if (a.has("--synsets") || a.has("--paper-size")) throw Error("flags --synsets and --paper-size apply to restricted-imagenet only");
  const std::string out = a.has("--out") ? a.get("--out") : default_data_root(dataset_facts_of("cifar10"));
  const long long threads = a.get_int("--threads", 0);
  if (threads < 0) throw Error("flag --threads: expected >= 0 (0 = all hardware threads), got " + std::to_string(threads));
  PrepareOptions options;
  options.threads = static_cast<int>(threads);
  options.progress = !a.has("--quiet");
  make_ready_for_output(out, PrepareOutput::kNewFolder);
  const auto start = std::chrono::steady_clock::now();
  const RawDataset ds = pack_cifar10_png(a.get("--src"), options);
  const auto md5s = official_cifar10_md5s();
  const std::string staging = out + ".partial-" + std::to_string(::getpid());
  try {
    write_cifar10_batches(ds, staging);
#ifdef BGM_HAVE_FETCH
    for (const auto& [file, md5] : md5s) {
      const std::string got = file_digest(staging + "/" + file, "md5");
      if (got != md5)
        throw Error(a.get("--src") + ": the rebuilt " + file + " has md5 " + got + ", not the official " + md5 +
                    "; the PNG copy differs from CIFAR-10 (order, labels or pixels); nothing was written to " + out);
    }
#endif
    rename_durable(staging, out);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(staging, ec);  // 180 MB, on any failure (a full disk too)
    throw;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "bgm prepare: wrote " << out << ": cifar10, " << ds.train.count << " train and " << ds.test.count
            << " test images in the official binary format, "
            << (md5s.empty() ? "not checked (this bgm was built without bgm fetch's OpenSSL)"
                             : std::to_string(md5s.size()) + " files equal to the official ones (md5)")
            << ", " << static_cast<long long>(seconds) << " s\n";
  return 0;
}

int run_prepare(const std::vector<std::string>& args) {
  const ParsedArgs a =
      parse_args(args, "prepare", {"--src", "--out", "--synsets", "--threads"}, {"--quiet", "--paper-size"});
  if (a.positional.size() != 1 || (a.positional[0] != "cinic10" && a.positional[0] != "restricted-imagenet" &&
                                   a.positional[0] != "cifar10"))
    throw Error("expected one dataset name, cinic10, restricted-imagenet or cifar10 (from PNGs; the others are read "
                "as shipped)");
  const std::string name = a.positional[0];
  if (!a.has("--src")) throw Error("flag --src is required (the dataset's unpacked folder)");
  if (name == "cifar10") return prepare_cifar10_from_png(a);
  if (a.has("--synsets") && name != "restricted-imagenet")
    throw Error("flag --synsets applies to restricted-imagenet only");
  if (a.has("--paper-size") && name != "restricted-imagenet")
    throw Error("flag --paper-size applies to restricted-imagenet only (the others already have the paper's size)");
  // By default the file goes where jobs look for it: $BGM_DATA/<name>.bgmpack (see core/dataset_facts.cpp).
  const std::string out = a.has("--out") ? a.get("--out") : default_data_root(dataset_facts_of(name));
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
  make_ready_for_output(out, PrepareOutput::kPackFile);
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

CommandRegistration prepare_registration{{
    "prepare",
    "cinic10|restricted-imagenet|cifar10 --src DIR [--out FILE.bgmpack|DIR] [--synsets FILE] [--paper-size] [--threads N] [--quiet]",
    "pack a folder-of-images dataset into the .bgmpack file jobs load (default: $BGM_DATA/<name>.bgmpack)",
    run_prepare,
    "  cinic10 | restricted-imagenet   the dataset (the others are read as shipped)\n"
    "  cifar10             from a lossless PNG copy, SRC/{train,test}/<index>_<class>.png in the official order:\n"
    "                      writes the official binary files, checked against their md5s\n"
    "  --src DIR           the dataset's unpacked folder (required)\n"
    "  --out FILE          the pack to write (default: $BGM_DATA/<name>.bgmpack, where jobs look for it;\n"
    "                      cifar10: the folder, default $BGM_DATA/cifar-10-batches-bin)\n"
    "  --synsets FILE      restricted-imagenet: one wnid per line, line number = class index (default: the sorted\n"
    "                      SRC/train folders, which must be exactly ImageNet's 1000 n######## folders)\n"
    "  --paper-size        restricted-imagenet: keep the paper's 123000 train and 4800 test images, a fixed\n"
    "                      subsample stratified over the 203 synsets (default: all ~257k / 10.2k)\n"
    "  --threads N         decoding threads (default 0 = all hardware threads)\n"
    "  --quiet             no progress bar\n\n"
    "example: bgm prepare cinic10 --src ~/data/CINIC-10\n"
    "         bgm prepare cifar10 --src darknet/data/cifar\n"
    "         bgm prepare restricted-imagenet --src ~/data/ILSVRC/Data/CLS-LOC --paper-size",
}};

}  // namespace
}  // namespace bgm
