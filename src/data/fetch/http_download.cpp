#include "data/fetch/http_download.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include "core/build_info.h"
#include "core/error.h"

namespace bgm {
namespace {

struct Transfer {
  std::string partial;
  FILE* file = nullptr;
  CURL* curl = nullptr;
  curl_off_t offset = 0;       // bytes already on disk when this try started
  long status = 0;             // HTTP status, known once the body starts
  int write_errno = 0;         // why writing `partial` failed (errno); 0 while it has not
  // progress
  const DownloadOptions* options = nullptr;
  bool tty = false;
  std::chrono::steady_clock::time_point started, last_print;
  int last_decile = -1;
};

// Opens the partial file on the first body bytes, once the status says they are the file and not an error page.
// (A server that ignores the Range request is caught by libcurl before any body arrives: CURLE_RANGE_ERROR.)
bool open_for_body(Transfer& t) {
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &t.status);
  if (t.status >= 400) return false;
  t.file = std::fopen(t.partial.c_str(), t.offset == 0 ? "wb" : "ab");
  if (!t.file) t.write_errno = errno;
  return t.file != nullptr;
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  if (!t.file && !open_for_body(t)) return 0;  // aborts the transfer
  const size_t written = std::fwrite(data, size, count, t.file);
  if (written != count) t.write_errno = errno ? errno : EIO;
  return written * size;
}

std::string megabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", bytes / 1e6);
  return text;
}

int show_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto& t = *static_cast<Transfer*>(user);
  if (!t.options->progress || total <= 0) return 0;
  const auto clock = std::chrono::steady_clock::now();
  const double done = static_cast<double>(t.offset + now), all = static_cast<double>(t.offset + total);
  const int decile = static_cast<int>(10 * done / all);
  // On a terminal a bar redrawn twice a second; in a log file one line per 10%.
  if (t.tty ? clock - t.last_print < std::chrono::milliseconds(500) && now < total : decile == t.last_decile) return 0;
  t.last_print = clock;
  t.last_decile = decile;
  const double seconds = std::chrono::duration<double>(clock - t.started).count();
  const int width = 30, filled = static_cast<int>(width * done / all);
  std::fprintf(stderr, "%sbgm fetch: %s [%s%s] %3d%% %s of %s, %s/s%s", t.tty ? "\r" : "", t.options->label.c_str(),
               std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
               static_cast<int>(100 * done / all), megabytes(done).c_str(), megabytes(all).c_str(),
               megabytes(seconds > 0 ? static_cast<double>(now) / seconds : 0).c_str(), t.tty ? "" : "\n");
  return 0;
}

std::string cannot_write(const std::string& partial, int error) {
  return "cannot write " + partial + ": " + std::strerror(error);
}

// One try. Returns "" when the whole body arrived, else why not; sets `fatal` for errors a retry cannot fix and
// `write_errno` when writing the partial file failed.
std::string try_once(const std::string& url, const std::string& partial, const DownloadOptions& options, bool& fatal,
                     int& write_errno) {
  Transfer t;
  t.partial = partial;
  t.options = &options;
  t.tty = ::isatty(STDERR_FILENO) != 0;
  t.started = t.last_print = std::chrono::steady_clock::now();
  std::error_code ec;
  if (std::filesystem::exists(partial, ec)) t.offset = static_cast<curl_off_t>(std::filesystem::file_size(partial, ec));
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error("libcurl: cannot start a transfer");
  t.curl = curl.get();
  char error_text[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(t.curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(t.curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(t.curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(t.curl, CURLOPT_NOSIGNAL, 1L);
  const std::string agent = std::string("bgm/") + bgm_version();
  curl_easy_setopt(t.curl, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(t.curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_TIME, options.stall_seconds);
  curl_easy_setopt(t.curl, CURLOPT_RESUME_FROM_LARGE, t.offset);
  curl_easy_setopt(t.curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(t.curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(t.curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(t.curl, CURLOPT_XFERINFOFUNCTION, show_progress);
  curl_easy_setopt(t.curl, CURLOPT_XFERINFODATA, &t);
  const CURLcode code = curl_easy_perform(t.curl);
  if (t.file && std::fclose(t.file) != 0 && t.write_errno == 0) t.write_errno = errno;
  if (options.progress && t.tty && t.last_decile >= 0) std::fputc('\n', stderr);
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  if (t.write_errno != 0) {
    fatal = true;
    write_errno = t.write_errno;
    return cannot_write(partial, write_errno);
  }
  // 416 on a resume: nothing is left to send (the checksum decides whether the file is right).
  if (status == 416 && t.offset > 0) return "";
  if (status >= 400) {
    fatal = status < 500 && status != 408 && status != 429;
    return "HTTP status " + std::to_string(status);
  }
  if (code == CURLE_RANGE_ERROR) {  // the server cannot resume: the next try starts from byte 0
    std::filesystem::remove(partial, ec);
    return "the server ignores byte ranges, so the next try starts from the beginning";
  }
  if (code != CURLE_OK) {
    fatal = code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT;
    return std::string(curl_easy_strerror(code)) + (error_text[0] ? std::string(": ") + error_text : "");
  }
  if (!t.file && t.offset == 0) {  // an empty body: the file is empty
    FILE* empty = std::fopen(partial.c_str(), "wb");
    if (!empty || std::fclose(empty) != 0) {
      fatal = true;
      write_errno = errno;
      return cannot_write(partial, write_errno);
    }
  }
  return "";
}

}  // namespace

void download_resumable(const std::string& url, const std::string& partial, const DownloadOptions& options) {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) throw Error("libcurl: global initialisation failed");
  double delay = options.retry_delay_seconds;
  std::string why;
  int write_errno = 0;
  for (int attempt = 1; attempt <= std::max(1, options.attempts); ++attempt) {
    bool fatal = false;
    why = try_once(url, partial, options, fatal, write_errno);
    if (why.empty()) return;
    if (fatal) break;
    if (attempt < options.attempts) {
      std::fprintf(stderr, "bgm fetch: %s: try %d of %d broke off (%s); resuming in %.0f s\n", url.c_str(), attempt,
                   options.attempts, why.c_str(), delay);
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      delay = std::min(60.0, 2 * delay);
    }
  }
  std::error_code ec;
  const auto kept = std::filesystem::exists(partial, ec) ? std::filesystem::file_size(partial, ec) : 0;
  // Resuming onto a full disk fails the same way: say what to do first.
  const std::string advice = write_errno == ENOSPC || write_errno == EDQUOT
                                 ? "; the disk is full: free space there, then run the same command again to resume"
                             : kept > 0 ? ", run the same command again to resume"
                                        : "";
  throw Error(url + ": download failed (" + why + "); " + std::to_string(kept) + " bytes kept in " + partial + advice);
}

}  // namespace bgm
