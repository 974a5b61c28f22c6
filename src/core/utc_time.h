// Wall-clock stamps for results and lock files.
#pragma once
#include <string>

namespace bgm {

// The current UTC time as 2026-12-01T08:17:13Z.
std::string iso8601_now();

}  // namespace bgm
