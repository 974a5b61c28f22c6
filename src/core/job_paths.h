// Every file of one job, derived once from the job (each derivation hashes the whole job): its id and run folder,
// and, for an adversarial init, the shared Algorithm-1 folder and key (README "Outputs").
#pragma once
#include <string>

#include "core/job_spec.h"

namespace bgm {

struct AdversarialInitFiles {
  std::string key;  // adversarial_key(job): the id of the adversarial-init result
  std::string dir, w0r, w0a, result, checkpoint, lock;
};

struct JobPaths {
  std::string id;   // job_hash(job)
  std::string dir;  // run_dir(job)
  std::string result, checkpoint, lock, w0r, final_weights;
  bool adversarial = false;
  AdversarialInitFiles init;  // set when `adversarial`

  static JobPaths of(const JobSpec& job);
};

}  // namespace bgm
