#include "data/fetch/fetch_dataset.h"

#include <filesystem>
#include <iostream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fault_injection.h"
#include "data/fetch/archive_unpack.h"
#include "data/fetch/fetch_lock.h"
#include "data/fetch/file_digest.h"
#include "data/formats/bgmpack.h"
#include "data/formats/cifar_binary.h"
#include "data/formats/prepare_datasets.h"

namespace bgm {
namespace fs = std::filesystem;
namespace {

int64_t file_bytes(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

// The archive as downloaded: its size (where known), then its published checksums.
void check_archive(const FetchSource& source, const std::string& path, const std::string& url) {
  const int64_t size = file_bytes(path);
  if (source.bytes > 0 && size != source.bytes)
    throw Error(path + ": " + std::to_string(size) + " bytes from " + url + ", expected " +
                std::to_string(source.bytes) + (size < source.bytes ? " (truncated download)" : " (not the official archive)"));
  for (const auto& [algorithm, expected] : {std::make_pair("md5", source.md5), std::make_pair("sha256", source.sha256)}) {
    if (expected.empty()) continue;
    const std::string got = file_digest(path, algorithm);
    if (got != expected)
      throw Error(path + ": " + algorithm + " " + got + ", expected " + expected + " (the published checksum of " +
                  source.archive + "); downloaded from " + url + ", a damaged or different file");
  }
}

// Every listed file: present, exactly `records` records long, its md5 where published; then the loader reads it all.
std::string check_cifar_folder(const FetchSource& source, const std::string& dir) {
  const int64_t record = source.format == "cifar10-binary" ? 1 + 3072 : 2 + 3072;
  for (const auto& f : source.files) {
    const std::string path = dir + "/" + f.path;
    const int64_t size = file_bytes(path);
    if (size < 0) throw Error(path + ": missing (" + source.name + " should hold it)");
    if (size != f.records * record)
      throw Error(path + ": " + std::to_string(size) + " bytes, expected " + std::to_string(f.records) +
                  " records of " + std::to_string(record) + " bytes = " + std::to_string(f.records * record));
    if (!f.md5.empty()) {
      const std::string got = file_digest(path, "md5");
      if (got != f.md5) throw Error(path + ": md5 " + got + ", expected " + f.md5);
    }
  }
  const RawDataset ds = source.format == "cifar10-binary" ? read_cifar10(dir) : read_cifar100(dir);
  return std::to_string(ds.train.count) + " train and " + std::to_string(ds.test.count) + " test images, " +
         std::to_string(source.files.size()) + " files checked";
}

std::string check_cinic_pack(const FetchSource& source, const std::string& pack) {
  const RawDataset ds = read_bgmpack(pack, source.name);
  if (ds.train.count != source.train || ds.test.count != source.test)
    throw Error(pack + ": " + std::to_string(ds.train.count) + " train and " + std::to_string(ds.test.count) +
                " test images, expected " + std::to_string(source.train) + " and " + std::to_string(source.test));
  return std::to_string(ds.train.count) + " train and " + std::to_string(ds.test.count) + " test images";
}

// What is already under the final name, checked as a fresh download would be.
std::string check_installed(const FetchSource& source, const std::string& target) {
  return source.format == "cinic10-folders" ? check_cinic_pack(source, target) : check_cifar_folder(source, target);
}

// Where a fetch works under <data root>/.bgm-fetch: the archive, the folder it is being unpacked into, and that
// folder once whole and on disk (only then may its files move into place, also by a later run).
struct FetchWork {
  std::string archive, partial, unpacking, unpacked;
  FetchWork(const FetchSource& source, const std::string& work)
      : archive(work + "/" + source.archive),
        partial(archive + ".partial"),
        unpacking(work + "/" + source.name + ".unpacking"),
        unpacked(work + "/" + source.name + ".unpacked") {}
  std::string unpacked_root(const FetchSource& source) const {
    return source.archive_root.empty() ? unpacked : unpacked + "/" + source.archive_root;
  }
};

// Downloads (resuming a partial file) and checks the archive; a verified archive is kept under its own name until
// it has been unpacked, so a later run does not download it again.
std::string obtain_archive(const FetchSource& source, const FetchOptions& options, const FetchWork& w) {
  const std::string &archive = w.archive, &partial = w.partial;
  const std::string url = archive_url(source, options);
  if (file_bytes(archive) >= 0) {
    try {
      check_archive(source, archive, url);
      return archive;
    } catch (const Error& e) {
      // Kept by an earlier run and damaged since (or left by hand): checking it again can only fail again.
      std::cerr << "bgm fetch: " << e.what() << "\nbgm fetch: " << archive
                << " was kept by an earlier run and fails its check: removing it and downloading again\n";
      fs::remove(archive);
    }
  }
  DownloadOptions download = options.download;
  if (download.label.empty()) download.label = source.archive;
  download_resumable(url, partial, download);
  if (source.bytes > 0 && file_bytes(partial) < source.bytes)
    throw Error(partial + ": " + std::to_string(file_bytes(partial)) + " of " + std::to_string(source.bytes) +
                " bytes from " + url + " (truncated download); run the same command again to resume");
  try {
    check_archive(source, partial, url);
  } catch (const Error&) {
    fs::remove(partial);  // resuming a wrong file cannot make it right: the next run starts afresh
    throw;
  }
  fs::rename(partial, archive);
  return archive;
}

// What is already under the final name, checked; a copy that fails says how to replace it.
FetchOutcome checked_installed(const FetchSource& source, const std::string& target) {
  FetchOutcome outcome;
  outcome.target = target;
  try {
    outcome.summary = check_installed(source, target);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + "\n" + target +
                " is there but fails the checks above; move it away and run bgm fetch " + source.name + " again");
  }
  outcome.already_present = true;
  return outcome;
}

// A kill between installing the target and cleaning up leaves these behind (the archive only matters without
// --keep-archive); the next run finishes the work.
bool has_leftovers(const FetchWork& w, const FetchOptions& options) {
  for (const auto& path : {w.partial, w.unpacking, w.unpacked})
    if (fs::exists(path)) return true;
  return !options.keep_archive && fs::exists(w.archive);
}

void remove_leftovers(const FetchWork& w, const FetchOptions& options) {
  fs::remove(w.partial);
  fs::remove_all(w.unpacking);
  fs::remove_all(w.unpacked);
  if (!options.keep_archive) fs::remove(w.archive);
}

// CINIC-10's PNGs go beside the pack, unless a copy is already there; returns whether they moved.
bool move_images_into_place(const FetchSource& source, const FetchOptions& options, const FetchWork& w) {
  const std::string images = options.data_root + "/" + source.images, unpacked = w.unpacked_root(source);
  if (fs::exists(images) || !fs::exists(unpacked)) return false;
  rename_durable(unpacked, images);
  return true;
}

// The target passed its checks; what an earlier run left is moved into place or removed, saying so.
void finish_earlier_fetch(const FetchSource& source, const FetchOptions& options, const FetchWork& w) {
  if (source.format == "cinic10-folders" && move_images_into_place(source, options, w))
    std::cerr << "bgm fetch: moved the images an interrupted fetch had unpacked to " << options.data_root << "/"
              << source.images << "\n";
  remove_leftovers(w, options);
  std::cerr << "bgm fetch: removed what an earlier fetch of " << source.name << " left in "
            << fs::path(w.archive).parent_path().string() << " (interrupted, or run with --keep-archive)\n";
}

// The archive (downloaded or kept), unpacked beside the final place, checked, and renamed into it.
FetchOutcome download_and_install(const FetchSource& source, const FetchOptions& options, const FetchWork& w) {
  FetchOutcome outcome;
  outcome.target = options.data_root + "/" + source.target;
  const std::string archive = obtain_archive(source, options, w);

  // Unpack beside the final place (same file system, so the last step is a rename), replacing what a killed run
  // may have left.
  fs::remove_all(w.unpacking);
  fs::remove_all(w.unpacked);
  if (options.download.progress) std::cerr << "bgm fetch: unpacking " << archive << "\n";
  try {
    unpack_archive(archive, w.unpacking);
    // A power loss after the rename must not leave right-sized files of zeros (cifar100 has no per-file md5s).
    sync_file_system(w.unpacking);
  } catch (const Error& e) {
    std::error_code ec;
    fs::remove_all(w.unpacking, ec);  // a full disk is the usual cause: give the space back
    throw Error(std::string(e.what()) + "\n" + archive + " is checked and kept: the next run only unpacks it");
  }
  rename_durable(w.unpacking, w.unpacked);
  const std::string unpacked = w.unpacked_root(source);
  if (source.format == "cinic10-folders") {
    PrepareOptions prepare;
    prepare.threads = options.threads;
    prepare.progress = options.download.progress;
    remove_temporaries_of_dead_writers(outcome.target, ".tmp.");  // packs of killed runs (553 MB each)
    write_bgmpack(outcome.target, pack_cinic10(unpacked, prepare));  // atomic
    outcome.summary = check_cinic_pack(source, outcome.target);
    fault_point("fetch-installed");
    move_images_into_place(source, options, w);
  } else {
    outcome.summary = check_cifar_folder(source, unpacked);
    rename_durable(unpacked, outcome.target);
    fault_point("fetch-installed");
  }
  remove_leftovers(w, options);
  return outcome;
}

}  // namespace

std::string archive_url(const FetchSource& source, const FetchOptions& options) {
  if (!options.url.empty()) return options.url;
  if (!options.mirror.empty()) {
    std::string base = options.mirror;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + source.archive;
  }
  return source.url;
}

FetchOutcome fetch_dataset(const FetchSource& source, const FetchOptions& options) {
  if (source.format == "manual") {
    std::string steps;
    for (const auto& line : source.manual) steps += "\n" + line;
    throw Error(source.name + " cannot be downloaded by bgm:" + steps);
  }
  const std::string target = options.data_root + "/" + source.target;
  const std::string work = options.data_root + "/.bgm-fetch";
  const FetchWork w(source, work);
  if (fs::exists(target) && !has_leftovers(w, options)) return checked_installed(source, target);
  FetchOutcome outcome;
  {
    const FetchLock lock(work, source.name);
    // Another fetch may have installed it while this one waited, or been killed before it had cleaned up.
    if (fs::exists(target)) {
      outcome = checked_installed(source, target);
      if (has_leftovers(w, options)) finish_earlier_fetch(source, options, w);
    } else {
      outcome = download_and_install(source, options, w);
    }
  }
  std::error_code ec;
  fs::remove(work, ec);  // only when empty: another fetch (of another dataset) may be using it
  return outcome;
}

}  // namespace bgm
