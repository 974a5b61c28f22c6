// JSON whose doubles survive a write and a read bit for bit. Boost.JSON before 1.83 parses some 17-digit numbers
// one ulp off, so a curve kept in a checkpoint as plain JSON came back changed after a resume (issue 12). Here every
// double is stored as a tagged string of its IEEE-754 bits; everything else is plain JSON.
#pragma once
#include <string>

#include <boost/json.hpp>

namespace bgm {

std::string serialize_exact(const boost::json::value& value);
// Throws bgm::Error naming `source` on a syntax error.
boost::json::value parse_exact(const std::string& text, const std::string& source);

}  // namespace bgm
