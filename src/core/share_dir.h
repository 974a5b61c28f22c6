// Where bgm's data files live (jobs/, slurm/, analysis/, containers/): an installed prefix keeps them in
// <prefix>/share/bgm, a checkout at its root. Found without a checkout so that a moved prefix still works.
#pragma once
#include <string>
#include <vector>

namespace bgm {

// The folders searched, in order: $BGM_SHARE (the module file sets it), <dir of the running binary>/../share/bgm
// (an installed prefix), then the source tree the binary was built from. Only folders that exist are listed.
std::vector<std::string> share_dirs();

// The first `<share dir>/<relative>` that is a regular file, or "" when none is.
std::string find_shared_file(const std::string& relative);

// A manifest argument as the user typed it: a path to a file, or a bare name ("table2", "table2.json") looked up in
// the share folders' jobs/. Throws bgm::Error naming every place looked when nothing matches.
std::string resolve_manifest_path(const std::string& argument);

}  // namespace bgm
