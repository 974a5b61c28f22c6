// One aligned progress line per evaluated epoch on stderr (readable in Slurm logs), and a live
// in-epoch bar when stderr is a terminal.
#pragma once
#include <chrono>
#include <string>

namespace bgm {

class Progress {
 public:
  Progress(std::string stage, int64_t total_epochs, bool quiet);
  // Called after each step; redraws the bar at most ~4 times a second on a terminal.
  void step(int64_t epoch, int64_t step, int64_t steps_per_epoch, double images_per_second);
  // `accuracies` is a preformatted fragment like "train 98.20% test 75.31%".
  void epoch_line(int64_t epoch, double lr, double loss, const std::string& accuracies, double images_per_second,
                  double seconds_so_far, int64_t epochs_done_this_process, double seconds_this_process);
  void message(const std::string& text);

 private:
  std::string stage_;
  int64_t total_;
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point last_draw_;
};

std::string format_duration(double seconds);

}  // namespace bgm
