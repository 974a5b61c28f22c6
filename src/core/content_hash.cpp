#include "core/content_hash.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include <boost/json.hpp>

namespace bgm {

uint64_t fnv1a64(const std::string& bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string hex64(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

static void write_canonical(const boost::json::value& v, std::string& out) {
  if (v.is_object()) {
    const auto& obj = v.as_object();
    std::vector<std::string> keys;
    for (const auto& kv : obj) keys.emplace_back(kv.key());
    std::sort(keys.begin(), keys.end());
    out += '{';
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i) out += ',';
      out += boost::json::serialize(boost::json::string(keys[i]));
      out += ':';
      write_canonical(obj.at(keys[i]), out);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ',';
      first = false;
      write_canonical(item, out);
    }
    out += ']';
  } else {
    out += boost::json::serialize(v);
  }
}

std::string canonical_json(const boost::json::value& value) {
  std::string out;
  write_canonical(value, out);
  return out;
}

std::string content_hash(const boost::json::value& value) { return hex64(fnv1a64(canonical_json(value))); }

}  // namespace bgm
