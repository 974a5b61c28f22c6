// bgm-aggregate RESULTS_DIR --out DIR: reads every result.json below RESULTS_DIR and writes the paper's tables
// (Markdown, LaTeX, CSV), the figure CSVs and problems.md. Exit 0; 1 with --strict when any problem; 2 on bad use.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>

#include "aggregate/figure_data.h"
#include "aggregate/paper_tables.h"
#include "aggregate/problems_report.h"
#include "aggregate/result_scan.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/share_dir.h"

namespace {

const char* kUsage =
    "usage: bgm-aggregate RESULTS_DIR --out DIR [--strict] [--manifest-seeds N] [--paper-values FILE]\n"
    "                     [--distance params|state]\n"
    "  --manifest-seeds N  seeds each group should have (default: the most any group has)\n"
    "  --paper-values F    the paper's numbers (default: analysis/paper-values.csv of the installed share folder or checkout)\n"
    "  --distance K        which distance Table 1 shows: learnable parameters (default) or the whole state\n"
    "  --strict            exit 1 when any file is unreadable, partial, of another schema, a duplicate, a\n"
    "                      conflict or of another configuration than its group's seeds, when a nested results\n"
    "                      folder is skipped or none is found, or any group is short of seeds\n";

struct Options {
  std::string results_dir, out_dir, paper_values, distance_kind = "params";
  bool strict = false;
  int manifest_seeds = 0;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw bgm::Error("flag " + arg + ": expected a value after it");
      return argv[++i];
    };
    if (arg == "--out") o.out_dir = value();
    else if (arg == "--strict") o.strict = true;
    else if (arg == "--paper-values") o.paper_values = value();
    else if (arg == "--distance") {
      o.distance_kind = value();
      if (o.distance_kind != "params" && o.distance_kind != "state")
        throw bgm::Error("flag --distance: expected params or state, got '" + o.distance_kind + "'");
    } else if (arg == "--manifest-seeds") {
      const std::string v = value();
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 1) throw bgm::Error("flag --manifest-seeds: expected a positive integer, got '" + v + "'");
      o.manifest_seeds = static_cast<int>(n);
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (!arg.empty() && arg[0] == '-') {
      throw bgm::Error("unknown flag " + arg + "\n" + kUsage);
    } else if (o.results_dir.empty()) {
      o.results_dir = arg;
    } else {
      throw bgm::Error("unexpected argument '" + arg + "' (one RESULTS_DIR only)\n" + kUsage);
    }
  }
  if (o.results_dir.empty() || o.out_dir.empty()) throw bgm::Error(std::string("RESULTS_DIR and --out are required\n") + kUsage);
  if (o.paper_values.empty()) {
    o.paper_values = bgm::find_shared_file("analysis/paper-values.csv");
    if (o.paper_values.empty())
      throw bgm::Error("analysis/paper-values.csv not found beside bgm-aggregate, under $BGM_SHARE or in the source tree; "
                       "pass --paper-values FILE");
  }
  return o;
}

void write_table(const bgm::ResultTable& table, const std::string& out_dir, const std::string& name) {
  bgm::write_file_atomic(out_dir + "/" + name + ".md", bgm::render_markdown(table));
  bgm::write_file_atomic(out_dir + "/" + name + ".tex", bgm::render_latex(table));
  bgm::write_file_atomic(out_dir + "/" + name + ".csv", bgm::render_csv(table));
}

int run(const Options& o) {
  bgm::ScanResult scan = bgm::scan_results(o.results_dir);
  int expected_seeds = o.manifest_seeds;
  if (expected_seeds == 0) {  // no manifest: every group should have as many seeds as the fullest one
    const auto probe = bgm::group_runs(scan.runs, 0);
    for (const auto& g : probe) expected_seeds = std::max(expected_seeds, static_cast<int>(g.runs.size()));
  }
  const std::vector<bgm::RunGroup> groups = bgm::group_runs(scan.runs, expected_seeds);
  const bgm::PaperValues paper = bgm::PaperValues::load(o.paper_values);

  bgm::make_dirs(o.out_dir);
  const bgm::TableInputs inputs{&groups, &paper, o.distance_kind, expected_seeds};
  const bgm::ResultTable headline = bgm::build_headline(inputs);
  const bgm::ResultTable table1 = bgm::build_table1(inputs);
  const bgm::ResultTable table2 = bgm::build_table2(inputs);
  write_table(headline, o.out_dir, "headline");
  write_table(table1, o.out_dir, "table1");
  write_table(table2, o.out_dir, "table2");
  bgm::write_file_atomic(o.out_dir + "/tables.md", "# Tables (source: " + o.results_dir + ")\n\n" +
                                                       bgm::render_markdown(headline) + "\n" +
                                                       bgm::render_markdown(table1) + "\n" +
                                                       bgm::render_markdown(table2));
  std::vector<bgm::ResultIssue> problems = scan.problems;
  if (scan.runs.empty())  // a mistyped folder must not look like success under --strict
    problems.push_back({o.results_dir, "empty", "no complete result.json to aggregate"});
  for (auto& p : bgm::write_figure_data(groups, o.results_dir, o.out_dir)) problems.push_back(std::move(p));
  for (auto& p : bgm::missing_seed_issues(groups, expected_seeds)) problems.push_back(std::move(p));
  bgm::write_file_atomic(o.out_dir + "/groups.csv", bgm::render_groups_csv(groups));
  bgm::write_file_atomic(o.out_dir + "/problems.md", bgm::render_problems(scan, problems, groups.size(), expected_seeds));

  for (const auto& p : problems) std::cerr << "bgm-aggregate: " << p.category << ": " << p.path << ": " << p.reason << "\n";
  std::cout << "bgm-aggregate: " << scan.runs.size() << " runs in " << groups.size() << " groups from "
            << scan.files_found << " result files; " << problems.size() << " problems (" << o.out_dir
            << "/problems.md); tables in " << o.out_dir << "/tables.md\n";
  return (o.strict && !problems.empty()) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const bgm::Error& e) {
    std::cerr << "bgm-aggregate: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {  // filesystem errors name their paths too
    std::cerr << "bgm-aggregate: " << e.what() << "\n";
    return 2;
  }
}
