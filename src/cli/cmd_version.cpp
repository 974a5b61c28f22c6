// `bgm --version` / `bgm version`: what this binary is built from and runs with, from the same code that fills
// the software block of every result JSON.
#include <iostream>
#include <string>

#include "cli/command.h"
#include "core/error.h"
#include "train/result_writer.h"
#include "train/thread_limits.h"

namespace bgm {
namespace {

std::string text_of(const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v); }

int run_version(const std::vector<std::string>& args) {
  const ParsedArgs a = parse_args(args, "version", {}, {"--json"});
  boost::json::object software = software_record();
  if (a.has("--json")) {
    std::cout << boost::json::serialize(software) << "\n";
    return 0;
  }
  std::cout << "bgm " << text_of(software.at("bgm")) << " (git " << text_of(software.at("git_commit")) << ")\n";
  for (const char* key : {"libtorch", "cuda_available", "cudnn", "mpi", "nccl", "blas", "compiler"}) {
    std::cout << "  " << key << ": " << text_of(software.at(key));
#ifndef BGM_TORCH_CUDA
    // The NCCL backend exchanges CUDA tensors: linked against a CPU LibTorch it is there but cannot run.
    if (std::string(key) == "nccl" && text_of(software.at(key)) != "not built in")
      std::cout << " (linked; this LibTorch has no CUDA, so --backend nccl cannot run)";
#endif
    std::cout << "\n";
  }
  return 0;
}

CommandRegistration version_registration{{"version", "[--json]",
                                  "print the bgm version, git commit, LibTorch, CUDA/cuDNN, MPI, NCCL and BLAS in use",
                                  run_version,
                                  "  --json              the same facts as the \"software\" block of a result JSON\n\n"
                                  "example: bgm --version"}};

}  // namespace
}  // namespace bgm
