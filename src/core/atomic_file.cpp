#include "core/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

#include "core/error.h"
#include "core/fault_injection.h"

namespace bgm {

namespace {

std::string parent_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

// Writes all of `content` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, const std::string& content, const std::string& kind) {
  if (fault_enospc((kind + "-write").c_str())) return ENOSPC;
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<size_t>(n);
  }
  // Delayed allocation reports a full disk at fsync or close, not at write.
  if (::fsync(fd) != 0 && errno != EINVAL) return errno;
  return 0;
}

// The process id that ends `name` from `start` on, or -1 where that is not all digits.
long long pid_suffix(const std::string& name, size_t start) {
  if (start >= name.size() || name.size() - start > 18) return -1;
  for (size_t i = start; i < name.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return -1;
  return std::stoll(name.substr(start));
}

// kill(pid, 0) fails with ESRCH only for a process that does not exist (EPERM: another user's, alive).
bool process_gone(long long pid) {
  if (pid > std::numeric_limits<pid_t>::max()) return true;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

void make_dirs(const std::string& path) {
  if (path.empty()) return;
  // Each folder this call creates has its entry in its parent made durable too, or a power loss could take a
  // fully synced result.json away with its new folder.
  std::vector<std::filesystem::path> created;
  std::error_code ec;
  for (auto dir = std::filesystem::absolute(path).lexically_normal();
       dir.has_relative_path() && !std::filesystem::exists(dir, ec); dir = dir.parent_path())
    created.push_back(dir);
  std::filesystem::create_directories(path, ec);
  if (ec) throw Error(path + ": cannot create directory: " + ec.message());
  for (const auto& dir : created) fsync_directory(dir.parent_path().string());
}

void fsync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void sync_file_system(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path + ": cannot open to flush it to disk: " + std::strerror(errno));
  const int failed = ::syncfs(fd);
  const int why = errno;
  ::close(fd);
  if (failed != 0) throw Error(path + ": cannot flush to disk (syncfs): " + std::strerror(why));
}

void rename_durable(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    throw Error(to + ": cannot rename " + from + " into place: " + std::strerror(errno));
  fsync_directory(parent_of(to));
}

void write_file_atomic(const std::string& path, const std::string& content, const std::string& kind) {
  make_dirs(std::filesystem::path(path).parent_path().string());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(tmp + ": cannot open for writing: " + std::strerror(errno));
  int failure = write_all(fd, content, kind);
  if (::close(fd) != 0 && failure == 0) failure = errno;
  if (failure != 0) {
    ::unlink(tmp.c_str());
    throw Error(path + ": write failed: " + std::strerror(failure));
  }
  fault_point((kind + "-tmp-written").c_str());
  try {
    rename_durable(tmp, path);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}

int remove_stale_temporaries(const std::string& dir) {
  std::error_code ec;
  int removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const auto mark = name.rfind(".tmp.");
    if (mark != std::string::npos && pid_suffix(name, mark + 5) >= 0 && std::filesystem::remove(entry.path(), ec))
      ++removed;
  }
  return removed;
}

int remove_temporaries_of_dead_writers(const std::string& path, const std::string& marker) {
  const std::string base = std::filesystem::path(path).filename().string();
  if (base.empty()) return 0;  // "DIR/": no name to match
  const std::string prefix = base + marker;
  std::error_code ec;
  int removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(parent_of(path), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const long long pid = pid_suffix(name, prefix.size());
    if (pid <= 0 || !process_gone(pid)) continue;
    std::error_code failed;
    if (std::filesystem::remove_all(entry.path(), failed) > 0 && !failed) ++removed;
  }
  return removed;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open for reading (missing or unreadable)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

}  // namespace bgm
