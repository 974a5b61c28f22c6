// Where `bgm prepare` writes, made ready before it decodes anything (hours for ImageNet): a place that cannot be
// written fails at once, and what killed runs left beside it is removed.
#pragma once
#include <string>

namespace bgm {

enum class PrepareOutput {
  kPackFile,   // cinic10 / restricted-imagenet: OUT.bgmpack, replaced atomically (temporary OUT.tmp.<pid>)
  kNewFolder,  // cifar10: a folder that must not exist yet (staged as OUT.partial-<pid>)
};

// Throws naming `out` (exit 2) where it is a folder but a file is expected, already exists where a new folder is,
// or the nearest existing folder above it is not a writable folder. Then removes OUT.tmp.<pid> / OUT.partial-<pid>
// of processes that are gone, saying so.
void make_ready_for_output(const std::string& out, PrepareOutput kind);

}  // namespace bgm
