// Runs one job end to end: data, init (random or Algorithm 1, shared and locked), training, metrics,
// result JSON. Safe to rerun: a complete result with the same job hash is skipped; a checkpoint resumes.
#pragma once
#include <string>

#include "core/job_paths.h"
#include "core/job_spec.h"

namespace bgm {

class Communicator;

struct RunOptions {
  bool init_only = false;  // compute (or find) only the adversarial-init checkpoint
  bool quiet = false;      // no per-epoch progress lines
};

// Returns 0 on success. Throws bgm::Error on bad input, bgm::Preempted on SIGTERM/SIGUSR1 (after checkpointing).
int run_job(const JobSpec& job, Communicator& comm, const RunOptions& options);

// True when the job's result.json exists, is complete and carries its id (the job hash; the adversarial key).
bool job_is_complete(const JobPaths& paths);
bool adversarial_init_is_complete(const JobPaths& paths);

}  // namespace bgm
