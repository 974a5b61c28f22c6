// Algorithm 1: pretrain with vanilla SGD on R zeroed-out, randomly labelled replicas of every training
// image until the stop accuracy on that set C (or the epoch cap). The result, W0A, is one checkpoint
// per adversarial_key(job), computed once under a file lock and reused by every job that names it.
#pragma once
#include <string>

#include <boost/json.hpp>
#include <torch/torch.h>

#include "core/job_paths.h"
#include "core/job_spec.h"
#include "data/device_dataset.h"

namespace bgm {

class Communicator;

// Returns the adversarial-init result JSON, computing it first unless a complete one exists. `files`: the job's
// JobPaths::init.
boost::json::object ensure_adversarial_init(const JobSpec& job, const AdversarialInitFiles& files,
                                            const DeviceDataset& data, Communicator& comm, const torch::Device& device,
                                            bool quiet);

}  // namespace bgm
