# Runs at every build (target bgm_git_commit in src/core): writes OUT, a one-function C++ file with the checkout's
# commit (git_commit.cmake), and rewrites it only when the text changes. So a pull or a new commit followed by
# `make build` records the new id in results (a configure-time id went stale until CMake reran), and only that small
# file recompiles. Usage: cmake -DSOURCE_DIR=checkout -DOUT=file.cpp [-DFIXED=id] -P write_git_commit.cmake
include(${CMAKE_CURRENT_LIST_DIR}/git_commit.cmake)
bgm_git_commit(commit "${SOURCE_DIR}" "${FIXED}")
set(text "// Written by cmake/write_git_commit.cmake at build time.\n#include \"core/build_info.h\"\n\nnamespace bgm {\nconst char* bgm_git_commit() { return \"${commit}\"; }\n}  // namespace bgm\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
