// Whole-file reads and crash-safe writes: a result is either absent or complete, never half-written.
#pragma once
#include <string>

namespace bgm {

// Writes to PATH.tmp.<pid>, fsyncs, then renames over PATH (atomic on POSIX filesystems).
void write_file_atomic(const std::string& path, const std::string& content);
// Reads a whole file; throws bgm::Error naming the path when it cannot.
std::string read_file(const std::string& path);
bool file_exists(const std::string& path);
void make_dirs(const std::string& path);

}  // namespace bgm
