// Parser of analysis/paper-values.csv (plain comma-separated, no quoting: the file is typed by hand).
#include "aggregate/paper_values.h"

#include <sstream>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"

namespace bgm {

namespace {

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

double parse_number(const std::string& text, const std::string& where) {
  if (text.empty()) return NAN;
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (...) {
  }
  throw Error(where + ": expected a number, got '" + text + "'");
}

}  // namespace

PaperValues PaperValues::load(const std::string& path) {
  PaperValues out;
  std::istringstream in(read_file(path));
  std::string line;
  int line_number = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string where = path + ":" + std::to_string(line_number);
    const auto f = split_commas(line);
    if (f.size() != 9) throw Error(where + ": expected 9 comma-separated fields, got " + std::to_string(f.size()));
    if (!header_seen) {
      if (f[0] != "table" || f[6] != "value") throw Error(where + ": expected the header table,dataset,model,mode,init,quantity,value,std,source");
      header_seen = true;
      continue;
    }
    PaperValue v{parse_number(f[6], where + " value"), parse_number(f[7], where + " std"), f[8]};
    out.values_[Key{f[0], f[1], f[2], f[3], f[4], f[5]}] = v;
  }
  return out;
}

std::optional<PaperValue> PaperValues::find(const std::string& table, const std::string& dataset,
                                            const std::string& model, const std::string& mode,
                                            const std::string& init, const std::string& quantity) const {
  auto it = values_.find(Key{table, dataset, model, mode, init, quantity});
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace bgm
