// Wall-clock stamps for results and lock files, and the age of this process.
#pragma once
#include <string>

namespace bgm {

// The current UTC time as 2026-12-01T08:17:13Z.
std::string iso8601_now();

// Seconds since this process started (Linux: /proc/self/stat against /proc/uptime), so that a job can report what
// loading the libraries and parsing cost before its own clock started; 0 where it cannot tell.
double process_age_seconds();

}  // namespace bgm
