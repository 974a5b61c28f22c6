#include "data/formats/missing_dataset_hint.h"

#include <cstdlib>
#include <filesystem>

#include "core/dataset_facts.h"

namespace bgm {

std::string missing_dataset_hint(const std::string& name, const std::string& root) {
  const DatasetFacts* facts = find_dataset_facts(name);
  if (!facts || facts->how_to_get.empty()) return "";
  const std::string& command = facts->how_to_get;
  const std::string where = default_data_root(*facts);
  std::string hint = "\nto get it: " + command + " (writes " + where + ", where jobs look unless dataset.root says " +
                     "otherwise)";
  if (std::filesystem::path(root).is_relative()) {
    std::error_code ec;
    const std::string here = std::filesystem::current_path(ec).string();
    const char* env = std::getenv("BGM_DATA");
    const bool unset = (!env || !*env) && root == where;
    hint += std::string("\n") + (unset ? "BGM_DATA is unset, so " : "") + root +
            " is relative to the current folder " + here + (unset ? "; set BGM_DATA to the folder holding your data" : "");
  }
  return hint;
}

}  // namespace bgm
