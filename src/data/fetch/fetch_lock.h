// One `bgm fetch` of a dataset into a data root at a time: two at once would share the .partial download and the
// .unpacking folder. An flock on <work>/<name>.lock, held for the whole fetch.
#pragma once
#include <string>

namespace bgm {

class FetchLock {
 public:
  // Creates `work` if needed and waits for the lock, saying so on stderr when another fetch holds it. Where the
  // file system has no flock, fetches are not serialised.
  FetchLock(const std::string& work, const std::string& name);
  // Removes the lock file while still holding it (a waiter then finds it gone and takes a fresh one), so the work
  // folder can be removed once empty.
  ~FetchLock();
  FetchLock(const FetchLock&) = delete;
  FetchLock& operator=(const FetchLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace bgm
