#include "core/json_duplicate_keys.h"

#include <set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>

#include "core/error.h"

namespace bgm {

namespace {

namespace json = boost::json;

// A SAX handler that remembers, per open object, the keys seen so far, and per open container where it is.
struct DuplicateKeyHandler {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  struct Level {
    bool object = false;
    std::set<std::string> keys;
    std::string label;   // this container's place in its parent: "train", "axes[1]"
    size_t items = 0;    // array elements so far
    std::string last_key;
  };
  std::vector<Level> levels;
  std::string key_text, duplicate;  // duplicate: the path of the first repeated key

  std::string path_to(const std::string& leaf) const {
    std::string path;
    for (const auto& l : levels) if (!l.label.empty()) path += (path.empty() || l.label[0] == '[' ? "" : ".") + l.label;
    return path.empty() ? leaf : path + (leaf.empty() || leaf[0] == '[' ? "" : ".") + leaf;
  }
  // The label a value about to start gets in its parent.
  std::string child_label() {
    if (levels.empty()) return "";
    Level& parent = levels.back();
    if (parent.object) return parent.last_key;
    return "[" + std::to_string(parent.items++) + "]";
  }
  bool open(bool object) {
    Level l;
    l.object = object;
    l.label = child_label();
    levels.push_back(std::move(l));
    return true;
  }
  bool scalar() {
    child_label();
    return true;
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return open(false); }
  bool on_array_end(std::size_t, json::error_code&) { levels.pop_back(); return true; }
  bool on_object_begin(json::error_code&) { return open(true); }
  bool on_object_end(std::size_t, json::error_code&) { levels.pop_back(); return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return scalar(); }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_text.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    key_text.append(s.data(), s.size());
    Level& object = levels.back();
    if (!object.keys.insert(key_text).second && duplicate.empty()) duplicate = path_to(key_text);
    object.last_key = key_text;
    key_text.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_double(double, json::string_view, json::error_code&) { return scalar(); }
  bool on_bool(bool, json::error_code&) { return scalar(); }
  bool on_null(json::error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

void reject_duplicate_keys(const std::string& text, const json::parse_options& options, const std::string& source) {
  json::basic_parser<DuplicateKeyHandler> parser(options);
  json::error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return;  // not JSON: the caller's parser says where
  const std::string& key = parser.handler().duplicate;
  if (!key.empty()) throw Error(source + ": " + key + ": the key appears twice in one object (JSON keeps only the last)");
}

}  // namespace bgm
