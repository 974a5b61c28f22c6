#include "train/progress.h"

#include <unistd.h>

#include <cstdio>

namespace bgm {

std::string format_duration(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

Progress::Progress(std::string stage, int64_t total_epochs, bool quiet)
    : stage_(std::move(stage)), total_(total_epochs), quiet_(quiet), tty_(::isatty(2) == 1) {}

void Progress::step(int64_t epoch, int64_t step, int64_t steps_per_epoch, double images_per_second) {
  if (quiet_ || !tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(250) && step + 1 < steps_per_epoch) return;
  last_draw_ = now;
  const int width = 30;
  const int filled = static_cast<int>(width * (step + 1) / std::max<int64_t>(1, steps_per_epoch));
  std::fprintf(stderr, "\r[%s] epoch %lld/%lld [%s%s] %lld/%lld %.0f img/s\033[K", stage_.c_str(),
               static_cast<long long>(epoch), static_cast<long long>(total_), std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), static_cast<long long>(step + 1),
               static_cast<long long>(steps_per_epoch), images_per_second);
  std::fflush(stderr);
}

void Progress::epoch_line(int64_t epoch, double lr, double loss, const std::string& accuracies, double images_per_second,
                          double seconds_so_far, int64_t epochs_done_this_process, double seconds_this_process) {
  if (quiet_) return;
  const double per_epoch = epochs_done_this_process > 0 ? seconds_this_process / epochs_done_this_process : 0;
  const double eta = per_epoch * static_cast<double>(total_ - epoch);
  std::fprintf(stderr, "%s[%s] epoch %5lld/%-5lld lr %.4g  loss %.4f  %s  %8.0f img/s  %s elapsed  ETA %s\n",
               tty_ ? "\r\033[K" : "", stage_.c_str(), static_cast<long long>(epoch), static_cast<long long>(total_), lr,
               loss, accuracies.c_str(), images_per_second, format_duration(seconds_so_far).c_str(),
               format_duration(eta).c_str());
  std::fflush(stderr);
}

void Progress::message(const std::string& text) {
  if (quiet_) return;
  std::fprintf(stderr, "%s[%s] %s\n", tty_ ? "\r\033[K" : "", stage_.c_str(), text.c_str());
  std::fflush(stderr);
}

}  // namespace bgm
