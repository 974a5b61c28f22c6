// Version and git commit of this build, for the provenance block of every result JSON.
#pragma once

namespace bgm {

const char* bgm_version();
const char* bgm_git_commit();

}  // namespace bgm
