#include "core/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "core/atomic_file.h"
#include "core/error.h"

namespace bgm {

FileLock::FileLock(const std::string& path, const std::string& on_wait) {
  make_dirs(std::filesystem::path(path).parent_path().string());
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(path + ": cannot open lock file: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (errno != EWOULDBLOCK) throw Error(path + ": flock failed: " + std::strerror(errno));
  if (!on_wait.empty()) std::cerr << on_wait << std::endl;
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) throw Error(path + ": flock failed: " + std::strerror(errno));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace bgm
