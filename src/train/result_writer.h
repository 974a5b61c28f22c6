// The envelope every result JSON shares (README "Result JSON"): schema, provenance (software,
// hardware, timing), and the completeness test that lets reruns skip finished work.
#pragma once
#include <chrono>
#include <string>

#include <boost/json.hpp>
#include <torch/torch.h>

#include "core/result_schema.h"
#include "core/utc_time.h"

namespace bgm {

class Communicator;
struct DeviceDataset;

boost::json::object software_record();
boost::json::object hardware_record(const torch::Device& device, const Communicator& comm);

// The fields every result starts with: schema, kind, status "complete", job_id, job, software,
// hardware and timing (started, finished now, seconds since `started`, train_seconds).
boost::json::object result_envelope(const std::string& kind, const std::string& job_id, const boost::json::object& job,
                                     const torch::Device& device, const Communicator& comm, const std::string& started_at,
                                     std::chrono::steady_clock::time_point started, double train_seconds);

// What the job trained and tested on: name, the pack's subset ("whole dataset" when none) and the split sizes
// after train_subset/test_subset.
boost::json::object dataset_record(const DeviceDataset& data);

// True when `path` holds a complete result of `kind` whose job_id is `job_id`.
bool result_is_complete(const std::string& path, const std::string& kind, const std::string& job_id);
// Pretty-prints (2-space indent) and writes atomically.
void write_result(const std::string& path, const boost::json::object& result);
std::string pretty_json(const boost::json::value& value);

// Picks the job's device: "auto" = the communicator's GPU, else CUDA device 0 if present, else CPU.
torch::Device pick_device(const std::string& requested, const Communicator& comm);

}  // namespace bgm
