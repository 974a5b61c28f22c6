// Bounded binary reads, gzip-transparent reads, little-endian encoding and atomic large writes.
#include "data/formats/binary_file.h"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fault_injection.h"

namespace bgm {

BinaryFileReader::BinaryFileReader(const std::string& path) : path_(path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": missing file (or not a regular file)");
  size_ = static_cast<uint64_t>(std::filesystem::file_size(path, ec));
  if (ec) throw Error(path + ": cannot read its size: " + ec.message());
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw Error(path + ": cannot open for reading: " + std::strerror(errno));
}

BinaryFileReader::~BinaryFileReader() {
  if (file_) std::fclose(file_);
}

void BinaryFileReader::read(void* into, uint64_t n, const std::string& what) {
  if (n > remaining())
    throw Error(path_ + ": truncated file: expected " + std::to_string(n) + " bytes of " + what + " at offset " +
                std::to_string(offset_) + ", but the file has " + std::to_string(size_) + " bytes");
  if (n > 0 && std::fread(into, 1, n, file_) != n)
    throw Error(path_ + ": read error in " + what + " at offset " + std::to_string(offset_));
  offset_ += n;
}

uint32_t BinaryFileReader::read_u32le(const std::string& what) {
  unsigned char b[4];
  read(b, 4, what);
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

uint64_t BinaryFileReader::read_u64le(const std::string& what) {
  const uint64_t low = read_u32le(what);
  const uint64_t high = read_u32le(what);
  return low | high << 32;
}

float BinaryFileReader::read_f32le(const std::string& what) {
  const uint32_t bits = read_u32le(what);
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

std::string read_maybe_gzip(const std::string& path) {
  if (!file_exists(path)) throw Error(path + ": missing file");
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) throw Error(path + ": cannot open for reading");
  std::string out;
  char chunk[1 << 16];
  for (;;) {
    const int n = gzread(gz, chunk, sizeof chunk);
    if (n > 0) out.append(chunk, static_cast<size_t>(n));
    if (n < static_cast<int>(sizeof chunk)) break;
  }
  int code = Z_OK;
  const char* message = gzerror(gz, &code);
  const std::string why = message ? message : "";
  gzclose(gz);
  // A cut-off gzip stream reads as a short file plus Z_BUF_ERROR ("unexpected end of file").
  if (code != Z_OK && code != Z_STREAM_END)
    throw Error(path + ": corrupt or truncated gzip data (" + why + ")");
  return out;
}

uint32_t load_u32be(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

void append_u32le(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void append_u64le(std::string& out, uint64_t v) {
  append_u32le(out, static_cast<uint32_t>(v & 0xffffffffu));
  append_u32le(out, static_cast<uint32_t>(v >> 32));
}

void append_f32le(std::string& out, float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  append_u32le(out, bits);
}

AtomicOutputFile::AtomicOutputFile(const std::string& path)
    : path_(path), tmp_path_(path + ".tmp." + std::to_string(::getpid())) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) make_dirs(parent.string());
  file_ = std::fopen(tmp_path_.c_str(), "wb");
  if (!file_) throw Error(tmp_path_ + ": cannot open for writing: " + std::strerror(errno));
}

AtomicOutputFile::~AtomicOutputFile() {
  if (file_) {
    std::fclose(file_);
    std::remove(tmp_path_.c_str());
  }
}

void AtomicOutputFile::write(const void* data, uint64_t n) {
  if (n > 0 && std::fwrite(data, 1, n, file_) != n)
    throw Error(tmp_path_ + ": write failed: " + std::strerror(errno));
}

void AtomicOutputFile::commit() {
  // Delayed allocation reports a full disk at fsync or close, not at write; the destructor removes the temporary file.
  if (std::fflush(file_) != 0) throw Error(tmp_path_ + ": write failed: " + std::strerror(errno));
  if (::fsync(::fileno(file_)) != 0 && errno != EINVAL)
    throw Error(tmp_path_ + ": cannot flush to disk (fsync): " + std::strerror(errno));
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp_path_.c_str());
    throw Error(tmp_path_ + ": cannot close: " + why);
  }
  fault_point("pack-tmp-written");
  if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp_path_.c_str());
    throw Error(path_ + ": rename from temporary file failed: " + why);
  }
}

}  // namespace bgm
