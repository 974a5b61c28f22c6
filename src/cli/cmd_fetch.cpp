// `bgm fetch DATASET...`: the official archive, checked against its published checksum, unpacked where jobs look
// ($BGM_DATA); see data/fetch/fetch_dataset.h for the order of steps that makes it safe to interrupt.
#include <cstdlib>
#include <iomanip>
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "core/dataset_facts.h"
#ifdef BGM_HAVE_FETCH
#include "data/fetch/fetch_dataset.h"
#endif

namespace bgm {
namespace {

#ifdef BGM_HAVE_FETCH
void print_catalog(const std::vector<FetchSource>& catalog, const std::string& root) {
  std::cout << "data root: " << root << "\n";
  std::cout << std::left << std::setw(21) << "dataset" << std::setw(25) << "archive" << std::setw(34) << "md5"
            << "jobs read\n";
  for (const auto& s : catalog)
    std::cout << std::setw(21) << s.name << std::setw(25) << (s.archive.empty() ? "(manual)" : s.archive)
              << std::setw(34) << (s.md5.empty() ? "-" : s.md5) << "$BGM_DATA/" << s.target << "\n";
}

int run_fetch(const std::vector<std::string>& args) {
  const ParsedArgs a = parse_args(args, "fetch", {"--data", "--url", "--catalog", "--attempts", "--threads"},
                                  {"--keep-archive", "--quiet", "--list"});
  const std::string catalog_file = a.get("--catalog");
  const auto catalog = load_fetch_catalog(catalog_file);
  const std::string root = a.has("--data") ? a.get("--data") : data_root();
  if (a.has("--list")) {
    if (!a.positional.empty())
      throw UsageError("flag --list: lists every dataset, so takes none (got " + a.positional[0] + ")");
    print_catalog(catalog, root);
    return 0;
  }
  if (a.positional.empty()) throw UsageError("expected at least one dataset (bgm fetch --list shows them)");
  if (a.has("--url") && a.positional.size() != 1) throw UsageError("flag --url: give one dataset with it");
  const long long attempts = a.get_int("--attempts", 5), threads = a.get_int("--threads", 0);
  if (attempts < 1) throw Error("flag --attempts: expected >= 1, got " + std::to_string(attempts));
  if (threads < 0) throw Error("flag --threads: expected >= 0 (0 = all hardware threads), got " + std::to_string(threads));

  FetchOptions options;
  options.data_root = root;
  options.url = a.get("--url");
  if (const char* mirror = std::getenv("BGM_MIRROR")) options.mirror = mirror;
  options.keep_archive = a.has("--keep-archive");
  options.threads = static_cast<int>(threads);
  options.download.attempts = static_cast<int>(attempts);
  options.download.progress = !a.has("--quiet");
  const std::string origin = catalog_file.empty() ? "the built-in catalogue (bgm fetch --list)" : catalog_file;
  // Every name first, so a typo in the last one is not found after downloading the others.
  std::vector<const FetchSource*> sources;
  for (const auto& name : a.positional) sources.push_back(&find_fetch_source(catalog, name, origin));
  for (const FetchSource* found : sources) {
    const FetchSource& source = *found;
    const std::string& name = source.name;
    if (source.format == "manual") {
      std::cout << "bgm fetch: " << name << ": not downloadable;\n";
      for (const auto& line : source.manual) std::cout << line << "\n";
      continue;
    }
    const FetchOutcome outcome = fetch_dataset(source, options);
    std::cout << "bgm fetch: " << name << ": " << outcome.target
              << (outcome.already_present ? " already present and checked: " : ": ") << outcome.summary << "\n";
  }
  return 0;
}
#else
int run_fetch(const std::vector<std::string>&) {
  throw Error("this bgm was built without `bgm fetch`: it needs libcurl, OpenSSL and libarchive (Debian: apt-get "
              "install libcurl4-openssl-dev libssl-dev libarchive-dev) and a rebuild");
}
#endif

CommandRegistration fetch_registration{{
    "fetch",
    "DATASET... [--data DIR] [--url URL] [--catalog FILE] [--attempts N] [--threads N] [--keep-archive] [--quiet] | "
    "--list",
    "download a dataset's official archive, check its published checksum and every file, unpack it where jobs look",
    run_fetch,
    "  DATASET...          cifar10, cifar100, cinic10 (restricted-imagenet: prints the manual steps)\n"
    "  --list              the data root, the datasets, their archives and published md5s, and where jobs read them\n"
    "  --data DIR          the data root (default: $BGM_DATA, else ./data)\n"
    "  --url URL           the archive's URL, for one dataset (default: $BGM_MIRROR/<archive>, else the official)\n"
    "  --catalog FILE      a JSON catalogue replacing the built-in one (same keys as bgm fetch --list shows)\n"
    "  --attempts N        tries per download, each resuming the last (default 5)\n"
    "  --threads N         cinic10: PNG decoding threads for its pack (default 0 = all hardware threads)\n"
    "  --keep-archive      keep the checked archive in <data root>/.bgm-fetch\n"
    "  --quiet             no progress bar\n"
    "  Proxies: https_proxy / http_proxy / no_proxy, as for curl. Safe to interrupt: run it again to resume.\n\n"
    "example: bgm fetch cifar10 cifar100 cinic10",
}};

}  // namespace
}  // namespace bgm
