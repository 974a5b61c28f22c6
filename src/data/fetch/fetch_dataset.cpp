#include "data/fetch/fetch_dataset.h"

#include <filesystem>
#include <iostream>

#include "core/error.h"
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

// Downloads (resuming a partial file) and checks the archive; a verified archive is kept under its own name until
// it has been unpacked, so a later run does not download it again.
std::string obtain_archive(const FetchSource& source, const FetchOptions& options, const std::string& work) {
  const std::string archive = work + "/" + source.archive, partial = archive + ".partial";
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

// The archive (downloaded or kept), unpacked beside the final place, checked, and renamed into it.
FetchOutcome download_and_install(const FetchSource& source, const FetchOptions& options, const std::string& work) {
  FetchOutcome outcome;
  outcome.target = options.data_root + "/" + source.target;
  const std::string archive = obtain_archive(source, options, work);

  // Unpack beside the final place (same file system, so the last step is a rename), replacing what a killed run
  // may have left.
  const std::string staging = work + "/" + source.name + ".unpacking";
  fs::remove_all(staging);
  if (options.download.progress) std::cerr << "bgm fetch: unpacking " << archive << "\n";
  try {
    unpack_archive(archive, staging);
  } catch (const Error& e) {
    std::error_code ec;
    fs::remove_all(staging, ec);  // a full disk is the usual cause: give the space back
    throw Error(std::string(e.what()) + "\n" + archive + " is checked and kept: the next run only unpacks it");
  }
  const std::string unpacked = source.archive_root.empty() ? staging : staging + "/" + source.archive_root;
  if (source.format == "cinic10-folders") {
    PrepareOptions prepare;
    prepare.threads = options.threads;
    prepare.progress = options.download.progress;
    write_bgmpack(outcome.target, pack_cinic10(unpacked, prepare));  // atomic
    outcome.summary = check_cinic_pack(source, outcome.target);
    const std::string images = options.data_root + "/" + source.images;
    if (!fs::exists(images)) fs::rename(unpacked, images);
  } else {
    outcome.summary = check_cifar_folder(source, unpacked);
    fs::rename(unpacked, outcome.target);
  }
  fs::remove_all(staging);
  if (!options.keep_archive) fs::remove(archive);
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
  if (fs::exists(target)) return checked_installed(source, target);
  const std::string work = options.data_root + "/.bgm-fetch";
  FetchOutcome outcome;
  {
    const FetchLock lock(work, source.name);
    // Another fetch may have installed it while this one waited.
    outcome = fs::exists(target) ? checked_installed(source, target) : download_and_install(source, options, work);
  }
  std::error_code ec;
  fs::remove(work, ec);  // only when empty: another fetch (of another dataset) may be using it
  return outcome;
}

}  // namespace bgm
