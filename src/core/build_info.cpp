// The version; the commit id is in the build tree's git_commit.cpp, written at every build (src/core/CMakeLists.txt).
#include "core/build_info.h"

namespace bgm {

const char* bgm_version() { return BGM_VERSION; }

}  // namespace bgm
