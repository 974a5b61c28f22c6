#include "data/formats/missing_dataset_hint.h"

#include <cstdlib>
#include <filesystem>

#include "core/dataset_facts.h"

namespace bgm {
namespace {

// The one command that gets each dataset (README "Datasets"); "" for generated data.
std::string command_that_gets(const std::string& name) {
  if (name == "cifar10" || name == "cifar100") return "`bgm fetch " + name + "`";
  if (name == "cinic10") return "`bgm fetch cinic10`, or `bgm prepare cinic10 --src DIR` from an unpacked copy";
  if (name == "restricted-imagenet")
    return "`bgm prepare restricted-imagenet --src DIR --paper-size` from ImageNet (`bgm fetch restricted-imagenet` "
           "says where to get it)";
  if (name == "fashion-mnist") return "`apt-get install dataset-fashion-mnist`";
  return "";
}

}  // namespace

std::string missing_dataset_hint(const std::string& name, const std::string& root) {
  const DatasetFacts* facts = find_dataset_facts(name);
  const std::string command = command_that_gets(name);
  if (!facts || command.empty()) return "";
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
