# Runs at every build (target bgm_git_commit in src/core): writes OUT, a one-function C++ file with the checkout's
# commit, and rewrites it only when the text changes. So a pull or a new commit followed by `make build` records the
# new id in results (a configure-time id went stale until CMake reran), and only that small file recompiles.
# -DSOURCE_DIR=checkout -DOUT=file.cpp [-DFIXED=id]: FIXED is a -DBGM_GIT_COMMIT given at configure (container builds
# have no .git). A checkout with uncommitted changes to tracked files gets "-dirty" after the id.
if(FIXED)
  set(commit "${FIXED}")
else()
  execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
  if(failed OR NOT commit)
    set(commit "unknown")
  else()
    execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY "${SOURCE_DIR}"
                    OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(changes)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
set(text "// Written by cmake/write_git_commit.cmake at build time.\n#include \"core/build_info.h\"\n\nnamespace bgm {\nconst char* bgm_git_commit() { return \"${commit}\"; }\n}  // namespace bgm\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
