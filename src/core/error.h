// The one exception type bgm throws for user-facing problems: bad input, missing files, failed jobs.
// Its message always names the file, key or flag and what was expected; `bgm` prints it and exits 2.
#pragma once
#include <stdexcept>
#include <string>

namespace bgm {

struct Error : std::runtime_error {
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A command line the command cannot parse (unknown flag, missing value): `bgm` adds the command's usage line.
struct UsageError : Error {
  using Error::Error;
};

}  // namespace bgm
