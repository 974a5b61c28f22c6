// SIGTERM / SIGUSR1 (Slurm preemption, `scancel --signal`) set a flag; the trainer checkpoints at the
// next step boundary and throws Preempted, and `bgm run` exits 128+signal so the job can be requeued.
#pragma once
#include <stdexcept>
#include <string>

namespace bgm {

struct Preempted : std::runtime_error {
  explicit Preempted(int signal_number)
      : std::runtime_error("preempted by signal " + std::to_string(signal_number)), signal(signal_number) {}
  int signal;
};

void install_preemption_handlers();
// Blocks (true) or unblocks SIGTERM and SIGUSR1; one that arrives while blocked is delivered on unblocking.
void block_preemption_signals(bool block);
int pending_preemption_signal();  // 0 when none
inline void throw_if_preempted() {
  if (int s = pending_preemption_signal()) throw Preempted(s);
}

}  // namespace bgm
