// Finds every result.json below a folder and sorts the files into usable runs and listed problems.
// Nothing is dropped silently: each file is either in `runs` or in `problems` with its reason.
#pragma once
#include <string>
#include <vector>

#include "aggregate/result_reader.h"

namespace bgm {

struct ResultIssue {
  std::string path;      // relative to the results folder; a group label for missing-seeds
  std::string category;  // unreadable | other-schema | partial | duplicate | conflict | mixed | nested | empty |
                         // missing-seeds
  std::string reason;
};

struct ScanResult {
  std::vector<RunRecord> runs;
  std::vector<ResultIssue> problems;
  int files_found = 0;
};

ScanResult scan_results(const std::string& results_dir);

}  // namespace bgm
