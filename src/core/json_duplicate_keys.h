// Boost.JSON keeps the last of two equal keys in one object without a word: {"seed": 3, "seed": 4} would run
// seed 4. Job files and manifests are written by hand, so bgm refuses such a document and names the key.
#pragma once
#include <string>

#include <boost/json.hpp>

namespace bgm {

// Throws bgm::Error "SOURCE: KEY.PATH: the key appears twice in one object" for the first repeated key.
// A document that does not parse is left to the caller's parser and its message.
void reject_duplicate_keys(const std::string& text, const boost::json::parse_options& options, const std::string& source);

}  // namespace bgm
