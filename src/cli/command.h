// `bgm <command> ...`: each command lives in its own cmd_*.cpp and registers itself here.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace bgm {

using CommandFn = std::function<int(const std::vector<std::string>& args)>;

struct Command {
  std::string name;
  std::string usage;    // one line: arguments
  std::string summary;  // one line: what it does
  CommandFn run;
  std::string help;     // `bgm CMD --help`: the flags with their defaults, then one example
};

std::vector<Command>& command_registry();

// A file-scope `static CommandRegistration reg{{...}};` in a cmd_*.cpp adds that command.
struct CommandRegistration {
  explicit CommandRegistration(Command command) { command_registry().push_back(std::move(command)); }
};

// Small flag parser shared by the commands: --key value, --flag, and positionals.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // "--key" -> value ("" for a bare flag)
  bool has(const std::string& key) const;
  std::string get(const std::string& key, const std::string& fallback = "") const;
  long long get_int(const std::string& key, long long fallback) const;
};
// `value_flags` take a value; anything else starting with -- is a bare flag. Unknown flags are errors.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::string& command,
                      const std::vector<std::string>& value_flags, const std::vector<std::string>& bare_flags = {});

}  // namespace bgm
