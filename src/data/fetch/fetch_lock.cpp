#include "data/fetch/fetch_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "core/error.h"

namespace bgm {
namespace {

bool no_flock_here(int error) { return error == ENOLCK || error == ENOSYS || error == EOPNOTSUPP; }

// Whether `fd` is still the file at `path`: the last holder unlinks it, and a lock on an unlinked file locks nothing.
bool still_linked(int fd, const std::string& path) {
  struct stat open_file {}, named {};
  return ::fstat(fd, &open_file) == 0 && ::stat(path.c_str(), &named) == 0 && open_file.st_dev == named.st_dev &&
         open_file.st_ino == named.st_ino;
}

}  // namespace

FetchLock::FetchLock(const std::string& work, const std::string& name) : path_(work + "/" + name + ".lock") {
  for (bool told = false;;) {
    // A finishing fetch may remove the empty work folder between these two steps: then try again.
    std::filesystem::create_directories(work);
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0 && errno == ENOENT) continue;
    if (fd_ < 0) throw Error(path_ + ": cannot open the fetch lock: " + std::strerror(errno));
    int locked = ::flock(fd_, LOCK_EX | LOCK_NB);
    if (locked != 0 && errno == EWOULDBLOCK) {
      if (!told) std::cerr << "bgm fetch: " << name << ": waiting for another bgm fetch of it (" << path_ << ")\n";
      told = true;
      while ((locked = ::flock(fd_, LOCK_EX)) != 0 && errno == EINTR) {
      }
    }
    if (locked != 0 && no_flock_here(errno)) return;
    if (locked != 0) {
      const std::string why = std::strerror(errno);
      ::close(fd_);
      fd_ = -1;
      throw Error(path_ + ": flock failed: " + why);
    }
    if (still_linked(fd_, path_)) return;
    ::close(fd_);
  }
}

FetchLock::~FetchLock() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace bgm
