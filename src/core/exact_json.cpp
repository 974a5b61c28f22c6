#include "core/exact_json.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "core/json_reader.h"

namespace bgm {

namespace json = boost::json;

namespace {

// A control character no curve string starts with marks the encoded doubles.
constexpr const char* kTag = "\x01" "f64:";
constexpr size_t kTagSize = 5;

json::value encode(const json::value& v) {
  if (v.is_double()) {
    const double d = v.as_double();
    uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, bits);
    return json::string(std::string(kTag) + hex);
  }
  if (v.is_array()) {
    json::array out;
    for (const auto& item : v.as_array()) out.push_back(encode(item));
    return out;
  }
  if (v.is_object()) {
    json::object out;
    for (const auto& kv : v.as_object()) out[kv.key()] = encode(kv.value());
    return out;
  }
  return v;
}

void decode(json::value& v) {
  if (v.is_string()) {
    const json::string& s = v.as_string();
    if (s.size() == kTagSize + 16 && std::memcmp(s.data(), kTag, kTagSize) == 0) {
      const uint64_t bits = std::strtoull(std::string(s.data() + kTagSize, 16).c_str(), nullptr, 16);
      double d = 0;
      std::memcpy(&d, &bits, sizeof d);
      v = d;
    }
  } else if (v.is_array()) {
    for (auto& item : v.as_array()) decode(item);
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) decode(kv.value());
  }
}

}  // namespace

std::string serialize_exact(const json::value& value) { return json::serialize(encode(value)); }

json::value parse_exact(const std::string& text, const std::string& source) {
  json::value v = parse_json_text(text, source);
  decode(v);
  return v;
}

}  // namespace bgm
