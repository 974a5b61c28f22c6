#include "train/result_writer.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>

#include "core/atomic_file.h"
#include "core/build_info.h"
#include "core/error.h"
#include "core/job_lock.h"
#include "core/json_reader.h"
#include "data/device_dataset.h"
#include "dist/communicator.h"
#include "dist/library_versions.h"
#include "train/thread_limits.h"

namespace bgm {

namespace json = boost::json;

json::object software_record() {
  const bool cudnn = at::globalContext().hasCuDNN();
  return json::object{{"bgm", bgm_version()},
                      {"git_commit", bgm_git_commit()},
                      {"libtorch", TORCH_VERSION},
                      {"cuda_available", torch::cuda::is_available()},
                      {"cudnn", cudnn ? std::to_string(at::detail::getCUDAHooks().versionCuDNN()) : "not available"},
                      {"mpi", mpi_library_version()},
                      {"nccl", nccl_library_version()},
                      {"blas", blas_record().at("name")},
                      {"compiler", __VERSION__}};
}

json::object hardware_record(const torch::Device& device, const Communicator& comm) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return json::object{{"device", device.str()},
                      {"cuda_devices", static_cast<int64_t>(torch::cuda::device_count())},
                      {"threads", static_cast<int64_t>(torch::get_num_threads())},
                      {"interop_threads", static_cast<int64_t>(torch::get_num_interop_threads())},
                      {"blas", blas_record()},
                      {"hostname", host},
                      {"ranks", comm.size()},
                      {"backend", comm.backend()}};
}

json::object result_envelope(const std::string& kind, const std::string& job_id, const json::object& job,
                             const torch::Device& device, const Communicator& comm, const std::string& started_at,
                             std::chrono::steady_clock::time_point started, double train_seconds) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  namespace key = result_schema::key;
  return json::object{{key::kSchema, result_schema::kSchema},
                      {key::kKind, kind},
                      {key::kStatus, result_schema::kComplete},
                      {key::kJobId, job_id},
                      {key::kJob, job},
                      {"software", software_record()},
                      {"hardware", hardware_record(device, comm)},
                      {"timing", json::object{{"started", started_at},
                                              {"finished", iso8601_now()},
                                              {"seconds", seconds},
                                              {"train_seconds", train_seconds}}}};
}

namespace {

// The constants as written in the dataset's table (0.4914, not 0.49140000343322754): each float's shortest decimal.
json::array float_list(const torch::Tensor& values) {
  const torch::Tensor v = values.to(torch::kCPU, torch::kFloat).contiguous().view(-1);
  json::array out;
  for (int64_t i = 0; i < v.numel(); ++i) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof(text), v.data_ptr<float>()[i]).ptr;
    out.emplace_back(std::strtod(std::string(text, end).c_str(), nullptr));
  }
  return out;
}

}  // namespace

json::object dataset_record(const DeviceDataset& data) {
  json::object record{{"name", data.name},
                      {"subset", data.subset.empty() ? "whole dataset" : data.subset},
                      {"train", data.train.size()},
                      {"test", data.test.size()}};
  if (data.mean.defined())  // images: (x / 255 - mean) / std per channel
    record["normalization"] = json::object{{"mean", float_list(data.mean)}, {"std", float_list(data.std)}};
  return record;
}

bool result_is_complete(const std::string& path, const std::string& kind, const std::string& job_id) {
  if (!file_exists(path)) return false;
  try {
    const auto v = parse_json_file(path);
    const auto& o = v.as_object();
    namespace key = result_schema::key;
    return o.contains(key::kSchema) && o.at(key::kSchema) == result_schema::kSchema && o.contains(key::kStatus) &&
           o.at(key::kStatus) == result_schema::kComplete && o.contains(key::kKind) && o.at(key::kKind) == kind.c_str() &&
           o.contains(key::kJobId) && o.at(key::kJobId) == job_id.c_str();
  } catch (const std::exception&) {
    return false;  // unreadable: not complete, it will be recomputed
  }
}

static void pretty(const json::value& v, std::string& out, int indent) {
  const std::string pad(indent + 2, ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& kv : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + json::serialize(json::string(kv.key())) + ": ";
      pretty(kv.value(), out, indent + 2);
    }
    out += "\n" + std::string(indent, ' ') + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    // Arrays of numbers stay on one line (eps lists, accuracies); others one element a line.
    bool scalars = true;
    for (const auto& item : v.as_array()) scalars = scalars && !item.is_object() && !item.is_array();
    if (scalars) {
      out += json::serialize(v);
      return;
    }
    out += "[\n";
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      pretty(item, out, indent + 2);
    }
    out += "\n" + std::string(indent, ' ') + "]";
  } else {
    out += json::serialize(v);
  }
}

std::string pretty_json(const json::value& value) {
  std::string out;
  pretty(value, out, 0);
  return out + "\n";
}

void write_result(const std::string& path, const json::object& result) {
  JobLock::exit_if_any_lost();
  write_file_atomic(path, pretty_json(result), "result");
}

torch::Device pick_device(const std::string& requested, const Communicator& comm) {
  if (requested == "cpu") return torch::kCPU;
  const bool cuda = torch::cuda::is_available();
  if (requested == "auto") {
    if (comm.cuda_device() >= 0) return torch::Device(torch::kCUDA, comm.cuda_device());
    return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  }
  if (!cuda) throw Error("device: '" + requested + "' asked for, but no CUDA device is available to this build");
  return torch::Device(requested);
}

}  // namespace bgm
