// Byte-level file access shared by the dataset readers: bounded reads whose errors name the file, what was
// being read and where, gzip-transparent whole-file reads, little-endian codecs and crash-safe large writes.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

namespace bgm {

// Sequential reader over one file that knows its size, so a short file is reported as truncated
// (with the offset and what was expected) instead of yielding garbage.
class BinaryFileReader {
 public:
  explicit BinaryFileReader(const std::string& path);  // throws bgm::Error naming the path if it cannot open
  ~BinaryFileReader();
  BinaryFileReader(const BinaryFileReader&) = delete;
  BinaryFileReader& operator=(const BinaryFileReader&) = delete;

  // Reads exactly `n` bytes; `what` says what they are ("header", "train pixels") for the error.
  void read(void* into, uint64_t n, const std::string& what);
  uint32_t read_u32le(const std::string& what);
  uint64_t read_u64le(const std::string& what);
  float read_f32le(const std::string& what);

  uint64_t size() const { return size_; }
  uint64_t offset() const { return offset_; }
  uint64_t remaining() const { return size_ - offset_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  uint64_t size_ = 0, offset_ = 0;
};

// Whole file, gunzipped if it is gzip (zlib's gzread passes plain files through unchanged).
// A gzip stream that ends early is an error naming the file.
std::string read_maybe_gzip(const std::string& path);

uint32_t load_u32be(const unsigned char* p);  // IDX headers are big-endian
void append_u32le(std::string& out, uint32_t v);
void append_u64le(std::string& out, uint64_t v);
void append_f32le(std::string& out, float v);

// Large outputs: written to PATH.tmp.<pid>, fsynced and renamed over PATH on commit(), so readers never
// see a half-written file; destroyed without commit() the temporary file is removed.
class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(const std::string& path);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  void write(const void* data, uint64_t n);
  void write(const std::string& bytes) { write(bytes.data(), bytes.size()); }
  void commit();

 private:
  std::string path_, tmp_path_;
  std::FILE* file_ = nullptr;
};

}  // namespace bgm
