#include "dist/process_packer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <thread>

#include "core/error.h"

namespace bgm {
namespace {

struct Running {
  pid_t pid;
  size_t job;
  size_t device;
  std::chrono::steady_clock::time_point start;
};

double gib(int64_t bytes) { return static_cast<double>(bytes) / (1 << 30); }

std::string log_tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "    " + l + "\n";
  return out;
}

// fork + exec: the child gets its own process group (a terminal's Ctrl-C reaches this process only, which
// forwards it as SIGTERM so jobs checkpoint) and SIGTERM should this process die first.
pid_t start_child(const std::string& binary, const PackedJob& job, const std::string& device) {
  std::vector<std::string> args = {binary};
  args.insert(args.end(), job.args.begin(), job.args.end());
  args.push_back("--device");
  args.push_back(device);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int log = ::open(job.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw Error(job.log_path + ": cannot open the job's log for writing");
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log);
    throw Error(job.label + ": fork failed");
  }
  if (pid == 0) {  // only async-signal-safe calls until exec
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(128 + SIGTERM);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log);
  return pid;
}

void check_every_job_fits(const std::vector<PackedJob>& jobs, const std::vector<PackDevice>& devices) {
  int64_t largest = 0;
  for (const auto& d : devices) largest = std::max(largest, d.memory_bytes);
  for (const auto& j : jobs)
    if (j.memory_bytes > largest) {
      char text[160];
      std::snprintf(text, sizeof text, ": needs an estimated %.2f GiB, more than any device offers (%.2f GiB)",
                    gib(j.memory_bytes), gib(largest));
      throw Error(j.label + text + "; give it a larger device, a smaller eval.batch_size or alg1_memory_mb, or "
                  "--device-memory-mb if the device has more than was detected");
    }
}

}  // namespace

PackOutcome run_packed_jobs(const std::string& binary, const std::vector<PackedJob>& jobs,
                            const std::vector<PackDevice>& devices, int jobs_per_device,
                            const std::function<int()>& pending_signal, bool quiet) {
  if (devices.empty()) throw Error("--jobs-per-gpu: no device to run on");
  check_every_job_fits(jobs, devices);
  PackOutcome outcome;
  std::vector<Running> running;
  std::vector<int64_t> used(devices.size(), 0);
  std::vector<int> count(devices.size(), 0);
  size_t next = 0;
  int forwarded = 0;

  // The device with the fewest running jobs that has a free slot and room for `job`; -1 when none has now.
  auto place = [&](const PackedJob& job) -> int {
    int best = -1;
    for (size_t d = 0; d < devices.size(); ++d) {
      if (count[d] >= jobs_per_device || used[d] + job.memory_bytes > devices[d].memory_bytes) continue;
      if (best < 0 || count[d] < count[best]) best = static_cast<int>(d);
    }
    return best;
  };
  auto wave_open = [&](const PackedJob& job) {
    for (const auto& r : running)
      if (jobs[r.job].wave < job.wave) return false;
    return true;
  };

  while (next < jobs.size() || !running.empty()) {
    if (const int sig = pending_signal(); sig && !forwarded) {
      forwarded = sig;
      std::fprintf(stderr, "bgm sweep: caught signal %d: forwarding it to %zu running job(s); they checkpoint\n",
                   sig, running.size());
      for (const auto& r : running) ::kill(r.pid, sig);
    }
    while (!forwarded && next < jobs.size() && wave_open(jobs[next])) {
      const int d = place(jobs[next]);
      if (d < 0) break;
      const pid_t pid = start_child(binary, jobs[next], devices[d].name);
      running.push_back({pid, next, static_cast<size_t>(d), std::chrono::steady_clock::now()});
      used[d] += jobs[next].memory_bytes;
      ++count[d];
      if (!quiet)
        std::printf("sweep: started %s on %s (%d of %d there, %.2f of %.2f GiB estimated), log %s\n",
                    jobs[next].label.c_str(), devices[d].name.c_str(), count[d], jobs_per_device, gib(used[d]),
                    gib(devices[d].memory_bytes), jobs[next].log_path.c_str());
      std::fflush(stdout);
      ++next;
    }
    if (forwarded && running.empty()) break;

    bool reaped = false;
    for (size_t i = 0; i < running.size(); ++i) {
      int status = 0;
      if (::waitpid(running[i].pid, &status, WNOHANG) != running[i].pid) continue;
      const Running r = running[i];
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      --i;
      reaped = true;
      used[r.device] -= jobs[r.job].memory_bytes;
      --count[r.device];
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - r.start).count();
      const PackedJob& job = jobs[r.job];
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      if (code == 0) {
        ++outcome.succeeded;
        if (!quiet) std::printf("sweep: %s done on %s in %.1f s\n", job.label.c_str(), devices[r.device].name.c_str(), seconds);
      } else if (forwarded && code == 128 + forwarded) {
        std::printf("sweep: %s checkpointed and stopped (signal %d)\n", job.label.c_str(), forwarded);
      } else {
        const std::string why = code >= 0 ? "exit status " + std::to_string(code)
                                          : "killed by signal " + std::to_string(WTERMSIG(status));
        outcome.failed.push_back(job.label + ": " + why);
        std::fprintf(stderr, "sweep: %s FAILED on %s (%s); last lines of %s:\n%s", job.label.c_str(),
                     devices[r.device].name.c_str(), why.c_str(), job.log_path.c_str(),
                     log_tail(job.log_path, 15).c_str());
      }
      std::fflush(stdout);
    }
    if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  outcome.signal = forwarded;
  return outcome;
}

}  // namespace bgm
