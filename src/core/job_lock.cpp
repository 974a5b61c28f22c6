#include "core/job_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/utc_time.h"

namespace bgm {

namespace {

using Clock = std::chrono::steady_clock;

std::string host_name() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return host;
}

// Field 22 of /proc/PID/stat (start time in clock ticks since boot): tells a reused pid from the holder.
std::string process_start(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
  }
  return field;
}

// The kernel this process runs under and its pid namespace ("<boot_id>/pid:[inode]"): a holder with the same host
// name but another namespace (a container, `apptainer --pid`) has pids this process cannot see, and one with
// another boot id ran before the node rebooted.
std::string kernel_and_pid_namespace() {
  std::string boot;
  try {
    boot = read_file("/proc/sys/kernel/random/boot_id");
  } catch (const Error&) {
  }
  while (!boot.empty() && (boot.back() == '\n' || boot.back() == ' ')) boot.pop_back();
  char ns[128] = {0};
  const ssize_t n = ::readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
  return (boot.empty() ? "unknown" : boot) + "/" + (n > 0 ? std::string(ns, static_cast<size_t>(n)) : "unknown");
}

// The boot id of a pid_space record ("unknown" when /proc did not tell).
std::string boot_of(const std::string& pid_space) { return pid_space.substr(0, pid_space.find('/')); }

struct Holder {
  std::string host, start, since, token, pid_space;
  long pid = 0;
  double beat = 0;  // its heartbeat period in seconds (0: an older record without one)
  std::string describe() const { return "pid " + std::to_string(pid) + " on host " + host + " (since " + since + ")"; }
};

Holder parse_holder(const std::string& text) {
  Holder h;
  std::istringstream in(text);
  std::string kv;
  while (in >> kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    if (key == "host") h.host = value;
    if (key == "pid") h.pid = std::atol(value.c_str());
    if (key == "start") h.start = value;
    if (key == "since") h.since = value;
    if (key == "token") h.token = value;
    if (key == "pid_space") h.pid_space = value;
    if (key == "beat") h.beat = std::atof(value.c_str());
  }
  return h;
}

bool same_host_holder_alive(const Holder& h) {
  if (h.pid <= 0) return false;
  if (::kill(static_cast<pid_t>(h.pid), 0) != 0 && errno == ESRCH) return false;
  return h.start.empty() || process_start(h.pid) == h.start;
}

// The lock file's modification time, or -1 when it is absent.
double heartbeat_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<double>(st.st_mtim.tv_sec) + 1e-9 * static_cast<double>(st.st_mtim.tv_nsec);
}

// Serialises contenders' check-and-take: an flock where the file system has one, else nothing.
class Guard {
 public:
  explicit Guard(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(path + ": cannot open lock guard: " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      if (errno == ENOLCK || errno == ENOSYS || errno == EOPNOTSUPP) break;  // e.g. Lustre mounted without flock
      const std::string why = std::strerror(errno);
      ::close(fd_);
      throw Error(path + ": flock failed: " + why);
    }
  }
  ~Guard() { ::close(fd_); }

 private:
  int fd_ = -1;
};

// The locks this process holds, for exit_if_any_lost.
std::mutex held_mutex;
std::vector<const JobLock*> held;

}  // namespace

double JobLock::stale_seconds() {
  const char* env = std::getenv("BGM_LOCK_STALE_SECONDS");
  if (!env || !*env) return 120;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  if (*end != '\0' || !(v > 0) || !std::isfinite(v))
    throw Error(std::string("BGM_LOCK_STALE_SECONDS: expected a positive number of seconds, got '") + env + "'");
  return v;
}

JobLock::JobLock(const std::string& path, const std::string& what, const std::function<void()>& while_waiting)
    : path_(path) {
  stale_seconds();  // a bad value fails here, not in the heartbeat thread
  make_dirs(std::filesystem::path(path).parent_path().string());
  const std::string host = host_name();
  const long pid = static_cast<long>(::getpid());
  std::random_device entropy;
  const std::string token = host + ":" + std::to_string(pid) + ":" + std::to_string(entropy());
  const std::string pid_space = kernel_and_pid_namespace();
  const std::string boot = boot_of(pid_space);
  record_ = "host=" + host + " pid=" + std::to_string(pid) + " start=" + process_start(pid) +
            " since=" + iso8601_now() + " token=" + token + " pid_space=" + pid_space +
            " beat=" + std::to_string(heartbeat_seconds()) + "\n";
  bool told = false;
  double watched_beat = -2;
  Clock::time_point beat_seen_at;
  for (;;) {
    {
      Guard guard(path + ".guard");
      std::string text;
      if (file_exists(path)) {
        try {
          text = read_file(path);
        } catch (const Error&) {
        }
      }
      const Holder holder = parse_holder(text);
      bool gone = holder.token.empty();  // no lock, or an empty one from a writer killed mid-write
      std::string why;
      // Same host name: the pid tells, if it lives in our pid namespace (older records name none); after a
      // reboot the holder is gone; from another namespace only the heartbeat can tell.
      const bool same_host = holder.host == host;
      if (!gone && same_host && !holder.pid_space.empty() && boot_of(holder.pid_space) != boot && boot != "unknown") {
        gone = true;
        why = "it ran before this host rebooted";
      } else if (!gone && same_host && (holder.pid_space.empty() || holder.pid_space == pid_space)) {
        gone = !same_host_holder_alive(holder);
        why = "its process is gone";
      } else if (!gone) {
        const double beat = heartbeat_of(path);
        if (beat != watched_beat) {
          watched_beat = beat;
          beat_seen_at = Clock::now();
        }
        // Never sooner than four of the holder's own heartbeats: its BGM_LOCK_STALE_SECONDS may differ from ours.
        const double stale = std::max(stale_seconds(), 4 * holder.beat);
        gone = std::chrono::duration<double>(Clock::now() - beat_seen_at).count() >= stale;
        why = "no heartbeat for " + std::to_string(static_cast<int>(stale)) + " s";
      }
      if (gone) {
        if (!holder.token.empty())
          std::fprintf(stderr, "bgm: taking over the lock %s from %s: %s\n", path.c_str(), holder.describe().c_str(),
                       why.c_str());
        write_file_atomic(path, record_, "lock");
        break;
      }
      if (!told) {
        std::fprintf(stderr,
                     "bgm: %s is locked by %s; waiting for it (a holder on another host is presumed dead after "
                     "%d s without heartbeat)\n",
                     what.c_str(), holder.describe().c_str(), static_cast<int>(stale_seconds()));
        told = true;
      }
    }
    if (while_waiting) while_waiting();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
  std::lock_guard<std::mutex> hold(held_mutex);
  held.push_back(this);
}

void JobLock::exit_if_lost() const {
  std::string text;
  try {
    text = read_file(path_);
  } catch (const Error&) {
  }
  if (text.empty() || text == record_) return;
  std::fprintf(stderr, "bgm: lost the lock %s to %s; stopping without writing\n", path_.c_str(),
               parse_holder(text).describe().c_str());
  std::_Exit(75);
}

void JobLock::exit_if_any_lost() {
  std::lock_guard<std::mutex> hold(held_mutex);
  for (const JobLock* lock : held) lock->exit_if_lost();
}

double JobLock::heartbeat_seconds() { return std::min(30.0, stale_seconds() / 4); }

void JobLock::heartbeat_loop() {
  const auto period = std::chrono::duration<double>(heartbeat_seconds());
  std::unique_lock<std::mutex> hold(mutex_);
  while (!wake_.wait_for(hold, period, [this] { return stopping_; })) {
    exit_if_lost();  // presumed dead and taken over (e.g. suspended for longer than the stale time)
    ::utimensat(AT_FDCWD, path_.c_str(), nullptr, 0);
  }
}

JobLock::~JobLock() {
  {
    std::lock_guard<std::mutex> hold(held_mutex);
    held.erase(std::remove(held.begin(), held.end(), this), held.end());
  }
  {
    std::lock_guard<std::mutex> hold(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  try {
    Guard guard(path_ + ".guard");
    if (file_exists(path_) && read_file(path_) == record_) ::unlink(path_.c_str());
  } catch (const Error&) {
  }
}

}  // namespace bgm
