#include "core/fault_injection.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include "core/error.h"

namespace bgm {

namespace {

struct Rule {
  std::string point, action;
  long at = 1;
};

std::vector<Rule> parse_rules() {
  std::vector<Rule> rules;
  const char* env = std::getenv("BGM_FAULT");
  if (!env || !*env) return rules;
  std::stringstream all(env);
  std::string item;
  while (std::getline(all, item, ',')) {
    std::stringstream fields(item);
    Rule r;
    std::string count;
    std::getline(fields, r.point, ':');
    std::getline(fields, r.action, ':');
    if (std::getline(fields, count, ':')) r.at = std::atol(count.c_str());
    if (r.point.empty() || (r.action != "abort" && r.action != "pause" && r.action != "enospc" && r.action != "term") || r.at < 1)
      throw Error("BGM_FAULT: '" + item + "' is not POINT:abort|pause|enospc|term[:N]");
    rules.push_back(r);
  }
  return rules;
}

// Which action fires now at `point` ("" for none); counts every arrival at a named point.
std::string action_now(const char* point) {
  static const std::vector<Rule> rules = parse_rules();
  if (rules.empty()) return "";
  static std::mutex mutex;
  static std::map<std::string, long> arrivals;
  std::lock_guard<std::mutex> hold(mutex);
  const long n = ++arrivals[point];
  for (const Rule& r : rules)
    if (r.point == point && r.at == n) return r.action;
  return "";
}

}  // namespace

void fault_point(const char* point) {
  const std::string action = action_now(point);
  if (action == "abort") {
    std::fprintf(stderr, "bgm: fault point %s: abort\n", point);
    ::kill(::getpid(), SIGKILL);
  } else if (action == "pause") {
    std::fprintf(stderr, "bgm: fault point %s: paused\n", point);
    std::fflush(stderr);
    for (;;) ::pause();
  } else if (action == "term") {
    std::fprintf(stderr, "bgm: fault point %s: SIGTERM\n", point);
    ::kill(::getpid(), SIGTERM);
  }
}

bool fault_enospc(const char* point) { return action_now(point) == "enospc"; }

}  // namespace bgm
