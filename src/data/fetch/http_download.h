// Resumable HTTP(S) download with libcurl: a try that breaks off leaves its bytes in the partial file and the next
// try (or the next `bgm fetch`) asks for the rest with a Range request. Proxies come from the usual environment
// variables (https_proxy, http_proxy, no_proxy), which libcurl reads itself.
#pragma once
#include <string>

namespace bgm {

struct DownloadOptions {
  int attempts = 5;                 // tries in all; each one resumes where the last stopped
  double retry_delay_seconds = 2;   // before the second try; doubled before each later one (at most 60 s)
  long stall_seconds = 60;          // a try that moves under 1 KB/s for this long is abandoned (and retried)
  bool progress = true;             // a progress bar on stderr
  std::string label;                // what the progress bar names
};

// Appends the rest of `url`'s body to `partial` (created if missing) until the server has sent all of it. From a
// server that ignores the Range request the next try downloads the whole file again. Throws naming the URL, keeping `partial` for a later
// resume, when every try failed or the server answers with an HTTP error (404: no retry).
void download_resumable(const std::string& url, const std::string& partial, const DownloadOptions& options);

}  // namespace bgm
