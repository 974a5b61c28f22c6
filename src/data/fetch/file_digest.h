// MD5 and SHA-256 of a file (OpenSSL's EVP), as lowercase hex: the checksums dataset sites publish.
#pragma once
#include <string>

namespace bgm {

// algorithm: "md5" or "sha256". Throws naming the file if it cannot be read.
std::string file_digest(const std::string& path, const std::string& algorithm);

}  // namespace bgm
