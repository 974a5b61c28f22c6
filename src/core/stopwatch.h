// Seconds on the steady clock: the time breakdowns of stages, jobs, sweeps and benchmarks.
#pragma once
#include <chrono>

namespace bgm {

using SteadyClock = std::chrono::steady_clock;

inline double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

}  // namespace bgm
