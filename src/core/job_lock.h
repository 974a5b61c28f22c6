// One writer per job directory. Slurm may start a requeued task (possibly on another node) while the old one is
// still dying, and a user may start the same job twice: whoever holds DIR/lock trains, the others wait.
// The lock is a small file naming its holder (host, pid, process start time) whose modification time is a
// heartbeat, so it works on shared file systems without relying on flock across nodes. A holder is gone when
// - on this host: its pid no longer exists (or now belongs to another process);
// - on another host: the file's heartbeat has not moved for BGM_LOCK_STALE_SECONDS (default 120) of our waiting;
// a gone holder's lock is taken over. Contenders serialise the check-and-take on an flock of DIR/lock.guard
// where the file system offers flock.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace bgm {

class JobLock {
 public:
  // Blocks until this process holds `path`; `what` names the work in the one waiting message. `while_waiting` is
  // called between polls and may throw to give up (a preemption signal: nothing to checkpoint yet).
  JobLock(const std::string& path, const std::string& what, const std::function<void()>& while_waiting = {});
  ~JobLock();
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

  // Seconds without heartbeat after which a holder on another host is presumed dead.
  static double stale_seconds();
  // How often a holder touches its lock: a quarter of stale_seconds, at most 30 s. Recorded in the lock, so that a
  // waiter with a shorter BGM_LOCK_STALE_SECONDS still waits four of the holder's heartbeats.
  static double heartbeat_seconds();

  // Called before every write into a locked folder (checkpoints, weights, results): if another process has taken
  // over a lock this process holds (we were presumed dead: suspended, or cut off from the file system), it exits
  // with status 75 before writing, rather than at the heartbeat's next look.
  static void exit_if_any_lost();

 private:
  void heartbeat_loop();
  void exit_if_lost() const;

  std::string path_, record_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread heartbeat_;
};

}  // namespace bgm
