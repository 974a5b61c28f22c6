// Where each dataset comes from and what a good copy looks like: the official archive, its published checksum,
// and the files (with record counts and, where published, md5s) that must come out of it. The built-in catalogue
// is JSON (dataset_catalog.cpp); `bgm fetch --catalog FILE` replaces it (a mirror that repacks, or the tests).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bgm {

struct FetchFile {
  std::string path;      // relative to the unpacked folder
  int64_t records = 0;   // fixed-size records the file must hold
  std::string md5;       // "" = not published
};

struct FetchSource {
  std::string name;          // the dataset name jobs use (cifar10, ...)
  std::string format;        // cifar10-binary | cifar100-binary | cinic10-folders | manual
  std::string archive;       // file name of the archive (also what BGM_MIRROR serves)
  std::string url;           // the official download
  std::string md5, sha256;   // of the archive, as published ("" = not published; at least one is set)
  int64_t bytes = 0;         // archive size, 0 = not known
  std::string archive_root;  // folder inside the archive holding the files ("" = the archive's top)
  std::string target;        // what jobs read, under the data root: a folder, or the pack for cinic10-folders
  std::string images;        // cinic10-folders: the folder the unpacked images are kept in, under the data root
  int64_t train = 0, test = 0;  // cinic10-folders: images per split
  std::vector<FetchFile> files;
  std::vector<std::string> manual;  // format manual: the steps to print
};

// `catalog_file` "" = the built-in catalogue. Errors name the file and key.
std::vector<FetchSource> load_fetch_catalog(const std::string& catalog_file = "");
const FetchSource& find_fetch_source(const std::vector<FetchSource>& catalog, const std::string& name,
                                     const std::string& origin);

}  // namespace bgm
