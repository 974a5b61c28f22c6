// Builds the paper's Table 1 (distances), Table 2 (the 8 modes) and the headline summary from seed groups.
#pragma once
#include <string>
#include <vector>

#include "aggregate/paper_values.h"
#include "aggregate/run_groups.h"
#include "aggregate/table_render.h"

namespace bgm {

struct TableInputs {
  const std::vector<RunGroup>* groups;
  const PaperValues* paper;
  std::string distance_kind;  // params | state: which distance of the result JSON Table 1 shows
  int expected_seeds;
};

ResultTable build_table1(const TableInputs& in);
ResultTable build_table2(const TableInputs& in);
ResultTable build_headline(const TableInputs& in);

}  // namespace bgm
