#include "data/fetch/archive_unpack.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <filesystem>
#include <memory>

#include "core/error.h"

namespace bgm {
namespace {

using ReadArchive = std::unique_ptr<struct archive, decltype(&archive_read_free)>;
using WriteArchive = std::unique_ptr<struct archive, decltype(&archive_write_free)>;

// libarchive's message, with the system's reason where it kept one ("Write failed: No space left on device").
std::string why(struct archive* a) {
  const char* text = archive_error_string(a);
  std::string message = text ? text : "unknown libarchive error";
  const int code = archive_errno(a);
  if (code > 0) {
    const std::string reason = std::strerror(code);
    if (message.find(reason) == std::string::npos) message += ": " + reason;
  }
  return message;
}

bool safe_relative_path(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  for (const auto& part : std::filesystem::path(path))
    if (part == "..") return false;
  return true;
}

}  // namespace

long long unpack_archive(const std::string& archive, const std::string& dest) {
  ReadArchive in(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(in.get());
  archive_read_support_format_all(in.get());
  if (archive_read_open_filename(in.get(), archive.c_str(), 1 << 20) != ARCHIVE_OK)
    throw Error(archive + ": cannot open as an archive: " + why(in.get()));
  WriteArchive out(archive_write_disk_new(), archive_write_free);
  // Entries are checked above and then prefixed with `dest`, which may itself be absolute.
  archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  std::filesystem::create_directories(dest);
  long long files = 0;
  struct archive_entry* entry = nullptr;
  for (;;) {
    const int status = archive_read_next_header(in.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) throw Error(archive + ": damaged archive: " + why(in.get()));
    const std::string name = archive_entry_pathname(entry);
    const auto type = archive_entry_filetype(entry);
    if (type != AE_IFREG && type != AE_IFDIR)
      throw Error(archive + ": entry " + name + " is not a file or folder; refusing to unpack it");
    if (!safe_relative_path(name)) throw Error(archive + ": entry " + name + " points outside the target folder");
    const std::string target = dest + "/" + name;
    archive_entry_set_pathname(entry, target.c_str());
    archive_entry_set_perm(entry, type == AE_IFDIR ? 0755 : 0644);
    // Writes report a failed write() (a full disk) as ARCHIVE_WARN and then extend the file to its declared size,
    // so only ARCHIVE_OK means the bytes are on disk.
    if (archive_write_header(out.get(), entry) != ARCHIVE_OK)
      throw Error(archive + ": entry " + name + ": cannot create " + target + ": " + why(out.get()));
    if (type == AE_IFREG) {
      const void* block = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      int r;
      while ((r = archive_read_data_block(in.get(), &block, &size, &offset)) == ARCHIVE_OK)
        if (archive_write_data_block(out.get(), block, size, offset) != ARCHIVE_OK)
          throw Error(archive + ": entry " + name + ": cannot write " + target + ": " + why(out.get()));
      if (r != ARCHIVE_EOF) throw Error(archive + ": damaged data in entry " + name + ": " + why(in.get()));
      ++files;
    }
    if (archive_write_finish_entry(out.get()) != ARCHIVE_OK)
      throw Error(archive + ": entry " + name + ": cannot finish " + target + ": " + why(out.get()));
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK) throw Error(dest + ": cannot finish unpacking: " + why(out.get()));
  return files;
}

}  // namespace bgm
