// Stable content hashes for job ids and checkpoint keys (FNV-1a, 64 bit, as 16 hex digits).
#pragma once
#include <cstdint>
#include <string>

#include <boost/json/value.hpp>

namespace bgm {

uint64_t fnv1a64(const std::string& bytes);
std::string hex64(uint64_t value);
// Serializes with object keys sorted, so equal documents hash equally whatever their key order.
std::string canonical_json(const boost::json::value& value);
std::string content_hash(const boost::json::value& value);

}  // namespace bgm
