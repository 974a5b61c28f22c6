// Unpacking a dataset archive (.tar.gz, .tar, .zip: whatever libarchive recognises) into a folder.
#pragma once
#include <string>

namespace bgm {

// Extracts the regular files and folders of `archive` under `dest` (created if missing). Entries with absolute
// paths, "..", links or devices are refused, naming the entry, so an archive cannot write outside `dest`.
// Returns the number of files written.
long long unpack_archive(const std::string& archive, const std::string& dest);

}  // namespace bgm
