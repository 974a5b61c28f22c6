// `bgm fetch`: download a dataset's official archive, check it against its published checksum, unpack it, check
// every file, and put it where jobs look, in that order, so that an interrupted or failed fetch leaves nothing
// half-written under the final name and the next run picks up where this one stopped.
#pragma once
#include <string>

#include "data/fetch/dataset_catalog.h"
#include "data/fetch/http_download.h"

namespace bgm {

struct FetchOptions {
  std::string data_root = "data";  // where jobs look ($BGM_DATA)
  std::string url;                 // the archive's URL; "" = mirror + "/" + archive, or the catalogue's
  std::string mirror;              // base URL of a mirror ($BGM_MIRROR)
  bool keep_archive = false;       // keep the verified archive in <data root>/.bgm-fetch
  int threads = 0;                 // cinic10: PNG decoding threads (0 = all)
  DownloadOptions download;
};

struct FetchOutcome {
  std::string target;             // the folder or pack jobs read
  bool already_present = false;   // it was there and passed the checks: nothing downloaded
  std::string summary;            // one line for the user
};

// Throws (naming the URL, file and what differs) on a failed download, a checksum or size mismatch, or a bad file.
// A `manual` source throws too, with its steps (the CLI prints them instead).
FetchOutcome fetch_dataset(const FetchSource& source, const FetchOptions& options);

// The URL `fetch_dataset` downloads from.
std::string archive_url(const FetchSource& source, const FetchOptions& options);

}  // namespace bgm
