// The published numbers of Tables 1 and 2, read from analysis/paper-values.csv, to set beside ours.
#pragma once
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace bgm {

struct PaperValue {
  double value = NAN;
  double std = NAN;  // NaN where the paper gives none
  std::string source;
};

class PaperValues {
 public:
  // Columns: table,dataset,model,mode,init,quantity,value,std,source; '#' lines are comments.
  // Throws bgm::Error naming the file and line of a malformed row.
  static PaperValues load(const std::string& path);
  std::optional<PaperValue> find(const std::string& table, const std::string& dataset, const std::string& model,
                                 const std::string& mode, const std::string& init, const std::string& quantity) const;
  size_t size() const { return values_.size(); }

 private:
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;
  std::map<Key, PaperValue> values_;
};

}  // namespace bgm
