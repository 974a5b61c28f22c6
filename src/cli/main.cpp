// Entry point: dispatches `bgm <command>` to the registered commands; every bgm::Error is one
// line on stderr and exit status 2, so Slurm logs and scripts see what went wrong.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "train/blas_kernel.h"
#include "train/heap_reuse.h"
#include "train/preemption.h"

namespace bgm {

std::vector<Command>& command_registry() {
  static std::vector<Command> commands;
  return commands;
}

bool ParsedArgs::has(const std::string& key) const {
  for (const auto& kv : options)
    if (kv.first == key) return true;
  return false;
}

std::string ParsedArgs::get(const std::string& key, const std::string& fallback) const {
  for (const auto& kv : options)
    if (kv.first == key) return kv.second;
  return fallback;
}

long long ParsedArgs::get_int(const std::string& key, long long fallback) const {
  if (!has(key)) return fallback;
  const std::string v = get(key);
  try {
    size_t used = 0;
    long long out = std::stoll(v, &used);
    if (used == v.size()) return out;
  } catch (...) {
  }
  throw UsageError("flag " + key + ": expected an integer, got '" + v + "'");
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::string& command,
                      const std::vector<std::string>& value_flags, const std::vector<std::string>& bare_flags) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      out.positional.push_back(a);
      continue;
    }
    std::string key = a, value;
    const auto eq = a.find('=');
    if (eq != std::string::npos) {
      key = a.substr(0, eq);
      value = a.substr(eq + 1);
    }
    const bool takes_value = std::find(value_flags.begin(), value_flags.end(), key) != value_flags.end();
    const bool bare = std::find(bare_flags.begin(), bare_flags.end(), key) != bare_flags.end();
    if (!takes_value && !bare) throw UsageError("unknown flag " + key + " (see bgm " + command + " --help)");
    if (takes_value && eq == std::string::npos) {
      if (i + 1 >= args.size()) throw UsageError("flag " + key + " needs a value");
      value = args[++i];
    }
    out.options.emplace_back(key, value);
  }
  return out;
}

static void print_help() {
  std::cout << "bgm: reproduce 'Bad Global Minima Exist and SGD Can Reach Them'\n\nusage: bgm <command> [args]\n\n";
  auto commands = command_registry();
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
  for (const auto& c : commands) std::cout << "  bgm " << c.name << " " << c.usage << "\n      " << c.summary << "\n";
  std::cout << "\nbgm CMD --help (or bgm help CMD) shows a command's flags, their defaults and an example.\n";
}

static void print_command_help(const Command& c) {
  std::cout << "usage: bgm " << c.name << " " << c.usage << "\n\n" << c.summary << "\n";
  if (!c.help.empty()) std::cout << "\n" << c.help << (c.help.back() == '\n' ? "" : "\n");
}

static const Command* find_command(const std::string& name) {
  for (const auto& c : command_registry())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace bgm

int main(int argc, char** argv) {
  using namespace bgm;
  std::vector<std::string> args(argv + std::min(argc, 2), argv + argc);
  std::string name = argc < 2 ? "help" : argv[1];
  if (name == "--version" || name == "-V") name = "version";
  // run and sweep checkpoint on SIGTERM/SIGUSR1 from the very start: the signals are blocked across the BLAS
  // restart (a blocked signal stays pending through exec) and delivered once the handlers are in.
  const bool preemptible = name == "run" || name == "sweep";
  if (preemptible) block_preemption_signals(true);
  // The commands that multiply matrices (and `version`, which reports the kernels they use); the restart costs
  // a second load of LibTorch, which `list` and the other quick commands are spared.
  if (name == "run" || name == "sweep" || name == "bench" || name == "version") ensure_openblas_kernels(argv);
  if (preemptible) {
    install_preemption_handlers();
    block_preemption_signals(false);
  }
  keep_freed_memory_for_reuse();
  if (name == "help" || name == "--help" || name == "-h") {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
      print_help();
      return argc < 2 ? 2 : 0;
    }
    name = args[0];
    args = {"--help"};
  }
  const Command* c = find_command(name);
  if (!c) {
    std::cerr << "bgm: unknown command '" << name << "' (see bgm help)\n";
    return 2;
  }
  if (std::find(args.begin(), args.end(), "--help") != args.end() || std::find(args.begin(), args.end(), "-h") != args.end()) {
    print_command_help(*c);
    return 0;
  }
  try {
    return c->run(args);
  } catch (const UsageError& e) {
    std::cerr << "bgm " << name << ": error: " << e.what() << "\nusage: bgm " << name << " " << c->usage << "\n";
    return 2;
  } catch (const Error& e) {
    std::cerr << "bgm " << name << ": error: " << e.what() << "\n";
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {  // a path the user gave or a full/readonly disk: names it
    std::cerr << "bgm " << name << ": error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bgm " << name << ": internal error: " << e.what() << "\n";
    return 3;
  }
}
