#include "core/json_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_duplicate_keys.h"

namespace bgm {

namespace {
const boost::json::object kEmpty;
}

std::string json_kind(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64: return "integer";
    case boost::json::kind::double_: return "number";
    case boost::json::kind::string: return "string";
    case boost::json::kind::array: return "array";
    case boost::json::kind::object: return "object";
  }
  return "?";
}

namespace {

// The number tokens of a JSON text in document order (strings and comments skipped).
std::vector<std::string> number_tokens(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t start = i;
      while (i < text.size() && std::strchr("+-0123456789.eE", text[i]) && text[i] != '\0') ++i;
      out.push_back(text.substr(start, i - start));
    } else {
      ++i;
    }
  }
  return out;
}

// Visits the numbers of `v` in document order (objects keep their keys' order).
template <class F>
void for_each_number(boost::json::value& v, F&& f) {
  if (v.is_object()) {
    for (auto& kv : v.as_object()) for_each_number(kv.value(), f);
  } else if (v.is_array()) {
    for (auto& e : v.as_array()) for_each_number(e, f);
  } else if (v.is_number()) {
    f(v);
  }
}

// Boost.JSON before 1.83 parses some 17-digit doubles one unit in the last place off: a value written exactly
// (a result's distance, say) would come back changed. Each double is re-read from its own text with strtod,
// which rounds correctly. When the counts differ (duplicate keys), the parse is left as Boost gave it.
void make_doubles_exact(const std::string& text, boost::json::value& v) {
  const std::vector<std::string> tokens = number_tokens(text);
  size_t count = 0;
  for_each_number(v, [&](boost::json::value&) { ++count; });
  if (count != tokens.size()) return;
  size_t next = 0;
  for_each_number(v, [&](boost::json::value& number) {
    const std::string& token = tokens[next++];
    if (number.is_double()) number = std::strtod(token.c_str(), nullptr);
  });
}

}  // namespace

boost::json::value parse_json_text(const std::string& raw, const std::string& source) {
  // A UTF-8 byte order mark, as some Windows editors write one, is not part of the document.
  const std::string_view bom = "\xEF\xBB\xBF";
  const std::string text = raw.rfind(bom, 0) == 0 ? raw.substr(bom.size()) : raw;
  boost::json::parse_options opts;
  opts.allow_comments = true;
  opts.allow_trailing_commas = true;
  boost::json::stream_parser parser({}, opts);
  boost::json::error_code ec;
  const size_t used = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {  // where the parser stopped, as an editor counts: line and column from 1
    const size_t at = std::min(used, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    const size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const size_t column = at - (line_start == std::string::npos || at == 0 ? 0 : line_start + 1) + 1;
    throw Error(source + ": invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
                ec.message());
  }
  reject_duplicate_keys(text, opts, source);
  boost::json::value v = parser.release();
  make_doubles_exact(text, v);
  return v;
}

boost::json::value parse_json_file(const std::string& path) { return parse_json_text(read_file(path), path); }

JsonReader::JsonReader(const boost::json::object& object, std::string source, std::string path)
    : object_(&object), source_(std::move(source)), path_(std::move(path)) {}

JsonReader JsonReader::of(const boost::json::value& value, const std::string& source, const std::string& path) {
  if (!value.is_object())
    throw Error(source + ": " + (path.empty() ? std::string("top level") : path) + ": expected an object, got " +
                json_kind(value));
  return JsonReader(value.as_object(), source, path);
}

std::string JsonReader::where(const std::string& key) const {
  return source_ + ": " + (path_.empty() ? key : path_ + "." + key);
}

void JsonReader::fail(const std::string& key, const std::string& what) const { throw Error(where(key) + ": " + what); }

bool JsonReader::has(const std::string& key) const {
  auto it = object_->find(key);
  return it != object_->end() && !it->value().is_null();
}

const boost::json::value* JsonReader::lookup(const std::string& key) {
  seen_.insert(key);
  auto it = object_->find(key);
  if (it == object_->end() || it->value().is_null()) return nullptr;
  return &it->value();
}

const boost::json::value* JsonReader::raw(const std::string& key) { return lookup(key); }

std::string JsonReader::get_string(const std::string& key, const std::optional<std::string>& fallback) {
  const auto* v = lookup(key);
  if (!v) {
    if (fallback) return *fallback;
    fail(key, "required key is missing (expected a string)");
  }
  if (!v->is_string()) fail(key, "expected a string, got " + json_kind(*v));
  return std::string(v->as_string());
}

std::string JsonReader::get_choice(const std::string& key, const std::vector<std::string>& choices,
                                   const std::optional<std::string>& fallback) {
  const std::string value = get_string(key, fallback);
  for (const auto& c : choices)
    if (c == value) return value;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  fail(key, "'" + value + "' is not one of: " + list);
}

int64_t JsonReader::get_int(const std::string& key, const std::optional<int64_t>& fallback, int64_t min, int64_t max) {
  const auto* v = lookup(key);
  int64_t out;
  if (!v) {
    if (!fallback) fail(key, "required key is missing (expected an integer)");
    out = *fallback;
  } else if (v->is_int64()) {
    out = v->as_int64();
  } else if (v->is_uint64()) {
    out = static_cast<int64_t>(v->as_uint64());
  } else if (v->is_double() && std::floor(v->as_double()) == v->as_double() && std::fabs(v->as_double()) < 9e15) {
    out = static_cast<int64_t>(v->as_double());
  } else {
    fail(key, "expected an integer, got " + json_kind(*v));
  }
  if (out < min || out > max)
    fail(key, "value " + std::to_string(out) + " is out of range [" + std::to_string(min) + ", " +
                  (max == INT64_MAX ? std::string("inf") : std::to_string(max)) + "]");
  return out;
}

double JsonReader::get_double(const std::string& key, const std::optional<double>& fallback, double min, double max) {
  const auto* v = lookup(key);
  double out;
  if (!v) {
    if (!fallback) fail(key, "required key is missing (expected a number)");
    out = *fallback;
  } else if (v->is_number()) {
    out = v->to_number<double>();
  } else {
    fail(key, "expected a number, got " + json_kind(*v));
  }
  if (!(out >= min && out <= max) || !std::isfinite(out))
    fail(key, "value " + std::to_string(out) + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return out;
}

bool JsonReader::get_bool(const std::string& key, const std::optional<bool>& fallback) {
  const auto* v = lookup(key);
  if (!v) {
    if (!fallback) fail(key, "required key is missing (expected true or false)");
    return *fallback;
  }
  if (!v->is_bool()) fail(key, "expected true or false, got " + json_kind(*v));
  return v->as_bool();
}

std::vector<int64_t> JsonReader::get_int_list(const std::string& key, const std::optional<std::vector<int64_t>>& fallback) {
  const auto* v = lookup(key);
  if (!v) {
    if (!fallback) fail(key, "required key is missing (expected an array of integers)");
    return *fallback;
  }
  if (!v->is_array()) fail(key, "expected an array of integers, got " + json_kind(*v));
  std::vector<int64_t> out;
  for (const auto& item : v->as_array()) {
    if (item.is_int64()) out.push_back(item.as_int64());
    else if (item.is_uint64()) out.push_back(static_cast<int64_t>(item.as_uint64()));
    else fail(key, "expected an array of integers, found " + json_kind(item) + " at [" + std::to_string(out.size()) + "]");
  }
  return out;
}

std::vector<double> JsonReader::get_double_list(const std::string& key, const std::optional<std::vector<double>>& fallback) {
  const auto* v = lookup(key);
  if (!v) {
    if (!fallback) fail(key, "required key is missing (expected an array of numbers)");
    return *fallback;
  }
  if (!v->is_array()) fail(key, "expected an array of numbers, got " + json_kind(*v));
  std::vector<double> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_number()) fail(key, "expected an array of numbers, found " + json_kind(item) + " at [" + std::to_string(out.size()) + "]");
    out.push_back(item.to_number<double>());
  }
  return out;
}

JsonReader JsonReader::child(const std::string& key) {
  const auto* v = lookup(key);
  const std::string path = path_.empty() ? key : path_ + "." + key;
  if (!v) return JsonReader(kEmpty, source_, path);
  if (!v->is_object()) fail(key, "expected an object, got " + json_kind(*v));
  return JsonReader(v->as_object(), source_, path);
}

void JsonReader::finish() const {
  for (const auto& kv : *object_) {
    const std::string key(kv.key());
    if (!seen_.count(key)) {
      std::string known;
      for (const auto& k : seen_) known += (known.empty() ? "" : ", ") + k;
      throw Error(where(key) + ": unknown key (known keys here: " + known + ")");
    }
  }
}

}  // namespace bgm
