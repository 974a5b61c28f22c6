// Runs several jobs at once on each device of a node as child processes (`bgm sweep --jobs-per-gpu K`).
// Processes, not threads: LibTorch's precision, cuDNN and thread settings are process-wide, and a CUDA error
// poisons its process's context, so one job per process keeps every job's settings and failures its own.
// Placement: the next job (in manifest order) goes to the device running the fewest jobs that has a free slot
// and memory left for the job's estimate; jobs of a later wave (training) start after every job of an earlier
// wave (Algorithm 1) has ended. A job that fails is reported (its log's tail) and the others go on.
// SIGTERM/SIGUSR1 to this process is forwarded to every running job, which checkpoints; no new job starts.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bgm {

struct PackedJob {
  std::string label;              // names the job in progress lines and errors
  std::vector<std::string> args;  // arguments after the binary; "--device <device>" is appended
  std::string log_path;           // the job's stdout and stderr, appended
  int64_t memory_bytes = 0;       // estimated footprint on its device
  int wave = 0;
};

struct PackDevice {
  std::string name;          // passed as --device: "cpu", "cuda:0", ...
  int64_t memory_bytes = 0;  // what jobs may use on it
};

struct PackOutcome {
  int succeeded = 0;
  std::vector<std::string> failed;  // "label: exit status 2" / "label: killed by signal 9"
  int signal = 0;                   // the preemption signal forwarded, 0 when none came
};

// Throws bgm::Error before starting anything when a job's estimate exceeds every device's memory.
// `binary` is the executable to start (bgm itself); `pending_signal` returns a preemption signal caught by this
// process (0 while none); `quiet` drops the per-job start/end lines.
PackOutcome run_packed_jobs(const std::string& binary, const std::vector<PackedJob>& jobs,
                            const std::vector<PackDevice>& devices, int jobs_per_device,
                            const std::function<int()>& pending_signal, bool quiet);

}  // namespace bgm
