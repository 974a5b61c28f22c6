# bgm_git_commit(VAR SOURCE_DIR FIXED): the id results record for this checkout: FIXED when given (a
# -DBGM_GIT_COMMIT of container builds, which have no .git), else the short commit, with "-dirty" when tracked files
# have uncommitted changes, else "unknown". Used at configure time (the module file) and at every build
# (write_git_commit.cmake).
function(bgm_git_commit var source_dir fixed)
  if(fixed)
    set(${var} "${fixed}" PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${source_dir}"
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
  if(failed OR NOT commit)
    set(${var} "unknown" PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY "${source_dir}"
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    string(APPEND commit "-dirty")
  endif()
  set(${var} "${commit}" PARENT_SCOPE)
endfunction()
