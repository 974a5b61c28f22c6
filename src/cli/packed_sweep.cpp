#include "cli/packed_sweep.h"

#include <torch/cuda.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "core/dataset_facts.h"
#include "core/error.h"
#include "core/job_footprint.h"
#include "dist/process_packer.h"
#include "models/model_catalog.h"
#include "train/preemption.h"

namespace bgm {
namespace {

constexpr int64_t kMiB = 1 << 20;
constexpr double kUsableFraction = 0.9;  // of a device's memory: headroom for fragmentation and estimates' error

int64_t cpu_available_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  long long kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return static_cast<int64_t>(kib) * 1024;
  throw Error("/proc/meminfo: no MemAvailable line; pass --device-memory-mb");
}

// Total memory of every GPU, by index and by UUID, as nvidia-smi reports it (asking the driver through CUDA
// here would create a context, and its memory, on every GPU in this parent process).
std::map<std::string, int64_t> nvidia_smi_memory() {
  std::map<std::string, int64_t> out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      ::popen("nvidia-smi --query-gpu=index,uuid,memory.total --format=csv,noheader,nounits 2>/dev/null", "r"),
      ::pclose);
  if (!pipe) return out;
  char line[512];
  while (std::fgets(line, sizeof line, pipe.get())) {
    std::stringstream row(line);
    std::string index, uuid, mib;
    if (!std::getline(row, index, ',') || !std::getline(row, uuid, ',') || !std::getline(row, mib)) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t\r\n") + 1);
      return s;
    };
    const long long total = std::atoll(trim(mib).c_str());
    out[trim(index)] = out[trim(uuid)] = static_cast<int64_t>(total) * kMiB;
  }
  return out;
}

std::vector<PackDevice> packing_devices(const PackedSweepOptions& options) {
  const int gpus = options.device == "cpu" ? 0 : static_cast<int>(torch::cuda::device_count());
  if (options.device == "cuda" && gpus == 0)
    throw Error("--device cuda: no CUDA device is visible to this bgm (a CPU build, or CUDA_VISIBLE_DEVICES empty)");
  const int64_t override_bytes = options.device_memory_mb * kMiB;
  if (gpus == 0) {
    const int64_t bytes = override_bytes ? override_bytes : static_cast<int64_t>(cpu_available_bytes() * kUsableFraction);
    return {{"cpu", bytes}};
  }
  // CUDA_VISIBLE_DEVICES (set by Slurm) lists indices or UUIDs; device i of this process is its i-th entry.
  std::vector<std::string> visible;
  if (const char* env = std::getenv("CUDA_VISIBLE_DEVICES")) {
    std::stringstream list(env);
    for (std::string entry; std::getline(list, entry, ',');) visible.push_back(entry);
  }
  const auto memory = override_bytes ? std::map<std::string, int64_t>{} : nvidia_smi_memory();
  std::vector<PackDevice> devices;
  for (int i = 0; i < gpus; ++i) {
    int64_t bytes = override_bytes;
    if (!bytes) {
      const std::string key = i < static_cast<int>(visible.size()) ? visible[i] : std::to_string(i);
      for (const auto& [id, total] : memory)
        if (id == key || (key.size() > 4 && id.rfind(key, 0) == 0)) bytes = static_cast<int64_t>(total * kUsableFraction);
      if (!bytes)
        throw Error("--jobs-per-gpu: cannot read the memory of GPU '" + key + "' (nvidia-smi --query-gpu); "
                    "pass --device-memory-mb");
    }
    devices.push_back({"cuda:" + std::to_string(i), bytes});
  }
  return devices;
}

int64_t parameters_of(const JobSpec& job, std::map<std::string, int64_t>& cache) {
  const DatasetFacts* facts = find_dataset_facts(job.dataset.name);
  if (!facts) throw Error("dataset '" + job.dataset.name + "': no entry in the dataset facts table");
  const std::string key = job.model.name + "/" + std::to_string(job.model.width) + "/" + facts->name;
  auto it = cache.find(key);
  if (it == cache.end()) {
    const InputShape input{facts->channels, facts->height, facts->width};
    it = cache.emplace(key, model_parameter_count(job.model, input, facts->classes)).first;
  }
  return it->second;
}

}  // namespace

int run_packed_sweep(const Manifest& manifest, const std::vector<const ManifestJob*>& jobs,
                     const PackedSweepOptions& options) {
  const std::vector<PackDevice> devices = packing_devices(options);
  const bool cuda = devices.front().name != "cpu";
  const std::string manifest_path = std::filesystem::absolute(manifest.path).string();
  std::map<std::string, int64_t> parameter_cache;
  std::vector<PackedJob> packed;
  for (const ManifestJob* entry : jobs) {
    PackedJob p;
    p.label = entry->stage + " job #" + std::to_string(entry->index) + " " + entry->id.substr(0, 12) + " [" +
              entry->tag + "]";
    p.args = {"run", "--manifest", manifest_path, "--stage", entry->stage, "--index", std::to_string(entry->index)};
    if (!options.output.empty()) p.args.insert(p.args.end(), {"--output", options.output});
    if (options.quiet) p.args.push_back("--quiet");
    const std::string logs = entry->job.output + "/logs";
    std::filesystem::create_directories(logs);
    p.log_path = logs + "/sweep-" + manifest.name + "-" + entry->stage + "-" + std::to_string(entry->index) + ".log";
    const JobFootprint footprint =
        estimate_job_footprint(entry->job, entry->stage, parameters_of(entry->job, parameter_cache), cuda);
    p.memory_bytes = footprint.total();
    if (!options.quiet)
      std::printf("sweep: %s: estimated %s\n", p.label.c_str(), footprint.describe().c_str());
    p.wave = entry->stage == "init" ? 0 : 1;
    packed.push_back(std::move(p));
  }
  std::printf("sweep: %s: %zu jobs, up to %d at a time on each of %zu device(s) (%s)\n", manifest.name.c_str(),
              packed.size(), options.jobs_per_device, devices.size(), devices.front().name.c_str());
  std::fflush(stdout);
  const PackOutcome outcome = run_packed_jobs("/proc/self/exe", packed, devices, options.jobs_per_device,
                                              pending_preemption_signal, options.quiet);
  if (outcome.signal) {
    std::fprintf(stderr, "bgm sweep: stopped by signal %d; rerun to resume the unfinished jobs\n", outcome.signal);
    return 128 + outcome.signal;
  }
  std::printf("sweep: %s: %d jobs done, %zu failed\n", manifest.name.c_str(), outcome.succeeded, outcome.failed.size());
  for (const auto& f : outcome.failed) std::fprintf(stderr, "bgm sweep: failed: %s\n", f.c_str());
  return outcome.failed.empty() ? 0 : 1;
}

}  // namespace bgm
