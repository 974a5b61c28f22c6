// Whole-file reads and crash-safe writes: a file is either absent, the previous version or the new one, never
// half-written, and once written it survives a power loss.
#pragma once
#include <string>

namespace bgm {

// Writes PATH.tmp.<pid>, fsyncs it, renames it over PATH (atomic on POSIX file systems) and fsyncs the
// directory, so the rename itself is durable. Every failure (ENOSPC included) throws bgm::Error naming the path
// and the system's reason, removes the temporary file and leaves PATH as it was. `kind` names the fault points
// of tests/faults ("KIND-write" may fail with ENOSPC, "KIND-tmp-written" is reached before the rename).
void write_file_atomic(const std::string& path, const std::string& content, const std::string& kind = "file");
// rename(2) + fsync of the destination's directory; throws naming both paths.
void rename_durable(const std::string& from, const std::string& to);
// fsync of a directory (makes renames and unlinks in it durable); errors are ignored where the file system
// cannot sync directories.
void fsync_directory(const std::string& dir);
// syncfs(2) of the file system holding `path`: every file just written under a folder (an unpacked archive) on disk
// in one call, where an fsync per file would take minutes for CINIC-10's 270,000 PNGs. Throws naming `path`.
void sync_file_system(const std::string& path);
// Removes the temporary files (NAME.tmp.<pid>) that killed writers left in `dir`; returns how many. Call only
// while holding the directory's lock, so that no live writer owns them.
int remove_stale_temporaries(const std::string& dir);
// Removes PATH<marker><pid> beside PATH (a file or a folder) where process <pid> no longer runs on this host: what a
// killed `bgm prepare` left (cinic10.bgmpack.tmp.<pid>, cifar-10-batches-bin.partial-<pid>). Returns how many. A
// writer on another host sharing the folder would look dead: one data root is written from one host at a time.
int remove_temporaries_of_dead_writers(const std::string& path, const std::string& marker);
// Reads a whole file; throws bgm::Error naming the path when it cannot.
std::string read_file(const std::string& path);
bool file_exists(const std::string& path);
void make_dirs(const std::string& path);

}  // namespace bgm
