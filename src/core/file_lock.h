// An exclusive advisory lock on a file (flock): concurrent jobs that need the same adversarial init
// wait for the one computing it. The kernel drops the lock when the holder dies, even by kill -9.
#pragma once
#include <string>

namespace bgm {

class FileLock {
 public:
  // Blocks until the lock is held; `on_wait` is printed once if another process holds it.
  FileLock(const std::string& path, const std::string& on_wait);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace bgm
