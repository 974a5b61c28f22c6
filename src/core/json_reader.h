// Typed, path-aware reads from a JSON object. Every error names the document and the key path
// (e.g. "job.json: train.momentum: expected a number, got string"); finish() rejects unknown keys.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace bgm {

// Parses a JSON file; throws bgm::Error naming the file and the byte offset of a syntax error.
boost::json::value parse_json_file(const std::string& path);
boost::json::value parse_json_text(const std::string& text, const std::string& source);

class JsonReader {
 public:
  // `source` names the document, `path` the key path of `object` inside it ("" at the top).
  JsonReader(const boost::json::object& object, std::string source, std::string path = "");
  static JsonReader of(const boost::json::value& value, const std::string& source, const std::string& path = "");

  bool has(const std::string& key) const;
  std::string get_string(const std::string& key, const std::optional<std::string>& fallback = std::nullopt);
  std::string get_choice(const std::string& key, const std::vector<std::string>& choices,
                         const std::optional<std::string>& fallback = std::nullopt);
  int64_t get_int(const std::string& key, const std::optional<int64_t>& fallback = std::nullopt,
                  int64_t min = INT64_MIN, int64_t max = INT64_MAX);
  double get_double(const std::string& key, const std::optional<double>& fallback = std::nullopt,
                    double min = -1e300, double max = 1e300);
  bool get_bool(const std::string& key, const std::optional<bool>& fallback = std::nullopt);
  std::vector<int64_t> get_int_list(const std::string& key, const std::optional<std::vector<int64_t>>& fallback = std::nullopt);
  std::vector<double> get_double_list(const std::string& key, const std::optional<std::vector<double>>& fallback = std::nullopt);
  // A nested object; missing -> an empty one, so defaults apply.
  JsonReader child(const std::string& key);
  const boost::json::value* raw(const std::string& key);
  // Throws on any key that no get_*/child/raw call asked for.
  void finish() const;

  std::string where(const std::string& key) const;  // "source: path.key"
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  const boost::json::value* lookup(const std::string& key);
  const boost::json::object* object_;
  std::string source_;
  std::string path_;
  std::set<std::string> seen_;
};

std::string json_kind(const boost::json::value& v);

}  // namespace bgm
