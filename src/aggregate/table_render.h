// A results table (ours beside the paper's) and its three renderings: Markdown, LaTeX (booktabs), tidy CSV.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "aggregate/paper_values.h"
#include "aggregate/seed_stats.h"

namespace bgm {

struct TableCell {
  SeedStats ours;                    // n == 0: we have no runs for it
  std::optional<PaperValue> paper;   // the published number, where the paper has one
  bool short_of_seeds = false;       // fewer seeds than expected: marked with a dagger
};

struct TableRow {
  std::vector<std::string> keys;     // one per key column
  std::vector<TableCell> cells;      // one per value column
};

struct ResultTable {
  std::string title;
  std::vector<std::string> notes;           // printed under the table
  std::vector<std::string> key_columns;
  std::vector<std::string> value_columns;   // ids, used in the CSV
  std::vector<std::string> value_headers;   // Markdown headers
  std::vector<std::string> latex_headers;   // LaTeX headers (may hold math)
  std::vector<TableRow> rows;
  int precision = 3;
};

std::string render_markdown(const ResultTable& table);
std::string render_latex(const ResultTable& table);
// One line per cell: keys, column, n, mean, std, min, max, paper, paper_std, paper_source, diff, short_of_seeds.
std::string render_csv(const ResultTable& table);

}  // namespace bgm
