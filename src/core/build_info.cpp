// The only file compiled with the commit id, so a new commit recompiles one file, not the project.
#include "core/build_info.h"

namespace bgm {

const char* bgm_version() { return BGM_VERSION; }
const char* bgm_git_commit() { return BGM_GIT_COMMIT; }

}  // namespace bgm
