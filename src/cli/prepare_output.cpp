#include "cli/prepare_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "core/atomic_file.h"
#include "core/error.h"

namespace bgm {
namespace fs = std::filesystem;
namespace {

// The nearest folder above `out` that exists: the writer creates the ones below it.
fs::path nearest_existing_folder(const std::string& out) {
  std::error_code ec;
  fs::path dir = fs::absolute(out).lexically_normal().parent_path();
  while (dir.has_relative_path() && !fs::exists(dir, ec)) dir = dir.parent_path();
  return dir;
}

void check_writable(const std::string& out, PrepareOutput kind) {
  std::error_code ec;
  if (kind == PrepareOutput::kPackFile && fs::is_directory(out, ec))
    throw Error(out + ": is a folder; --out takes the .bgmpack file to write (e.g. " + out + "/NAME.bgmpack)");
  if (kind == PrepareOutput::kNewFolder && fs::exists(out, ec))
    throw Error(out + ": exists already; remove it to rebuild it, or give --out another folder");
  const fs::path dir = nearest_existing_folder(out);
  if (!fs::is_directory(dir, ec)) throw Error(out + ": cannot be written: " + dir.string() + " is not a folder");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw Error(out + ": cannot be written: " + dir.string() + ": " + std::strerror(errno) +
                "; give --out (or set BGM_DATA to) a writable place");
}

}  // namespace

void make_ready_for_output(const std::string& out, PrepareOutput kind) {
  check_writable(out, kind);
  const std::string marker = kind == PrepareOutput::kPackFile ? ".tmp." : ".partial-";
  if (const int removed = remove_temporaries_of_dead_writers(out, marker))
    std::cerr << "bgm prepare: removed " << removed << " temporary " << (removed == 1 ? "copy" : "copies") << " of "
              << out << " left by killed runs (" << fs::path(out).filename().string() << marker << "<pid>)\n";
}

}  // namespace bgm
