#include "core/job_paths.h"

namespace bgm {

JobPaths JobPaths::of(const JobSpec& job) {
  JobPaths p;
  p.id = job_hash(job);
  p.dir = run_dir(job);
  p.result = p.dir + "/result.json";
  p.checkpoint = p.dir + "/checkpoint.pt";
  p.lock = p.dir + "/lock";
  p.w0r = p.dir + "/w0r.pt";
  p.final_weights = p.dir + "/final.pt";
  p.adversarial = job.init.is_adversarial();
  if (p.adversarial) {
    const std::string dir = adversarial_dir(job);
    p.init = AdversarialInitFiles{adversarial_key(job), dir, dir + "/w0r.pt", dir + "/w0a.pt", dir + "/result.json",
                                  dir + "/checkpoint.pt", dir + "/lock"};
  }
  return p;
}

}  // namespace bgm
