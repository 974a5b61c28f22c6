#include "core/share_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/error.h"

namespace bgm {
namespace fs = std::filesystem;

namespace {

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The running binary's folder, through /proc/self/exe so that symlinks and a moved prefix resolve to where it is.
fs::path binary_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

}  // namespace

std::vector<std::string> share_dirs() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("BGM_SHARE"); env && *env) candidates.emplace_back(env);
  if (const fs::path bin = binary_dir(); !bin.empty()) candidates.push_back(bin.parent_path() / "share" / "bgm");
  candidates.emplace_back(BGM_SOURCE_DIR);
  std::vector<std::string> dirs;
  for (const fs::path& c : candidates)
    if (is_dir(c)) dirs.push_back(c.lexically_normal().string());
  return dirs;
}

std::string find_shared_file(const std::string& relative) {
  for (const std::string& dir : share_dirs())
    if (is_file(fs::path(dir) / relative)) return (fs::path(dir) / relative).string();
  return "";
}

std::string resolve_manifest_path(const std::string& argument) {
  if (is_file(argument)) return argument;
  std::string looked = "'" + argument + "'";
  // Only a bare name is looked up: a path that does not exist is a mistake to report, not to guess around.
  if (argument.find('/') == std::string::npos && !argument.empty()) {
    const std::string file = argument.size() > 5 && argument.substr(argument.size() - 5) == ".json"
                                 ? argument
                                 : argument + ".json";
    for (const std::string& dir : share_dirs()) {
      const fs::path candidate = fs::path(dir) / "jobs" / file;
      if (is_file(candidate)) return candidate.string();
      looked += ", '" + candidate.string() + "'";
    }
  }
  throw Error("manifest '" + argument + "' not found (looked at " + looked +
              "); give a path to a manifest JSON or the name of one in jobs/ (e.g. table2)");
}

}  // namespace bgm
