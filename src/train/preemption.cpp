#include "train/preemption.h"

#include <csignal>

namespace bgm {

namespace {
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_preemption_signal(int signal_number) { g_signal = signal_number; }
}  // namespace

void install_preemption_handlers() {
  struct sigaction action {};
  action.sa_handler = on_preemption_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGUSR1, &action, nullptr);
}

void block_preemption_signals(bool block) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

int pending_preemption_signal() { return g_signal; }

}  // namespace bgm
