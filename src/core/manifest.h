// Manifests (README "Manifests"): a base job plus axes whose cartesian product gives a grid of jobs,
// expanded into two stages: the adversarial-init pretrainings (one per adversarial_key) and the training jobs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/calibration.h"
#include "core/job_spec.h"

namespace bgm {

struct ManifestJob {
  JobSpec job;        // a training job; for an init job, the first training job that needs that checkpoint
  std::string stage;  // "init" | "train"
  int64_t index = 0;  // position within its stage: the Slurm array index and `bgm run --index`
  std::string id;     // train: job_hash(job); init: adversarial_key(job)
  std::string dir;    // train: run_dir(job); init: adversarial_dir(job); result.json lives here
  std::string tag;    // the axis labels that made it, e.g. "dataset=cifar10 init=adversarial seed=1"
  std::string source; // "<manifest>#<n>", n = the position in the expansion (as parse_job errors name it)
};

struct Manifest {
  std::string path;
  std::string name;
  std::string description;
  std::vector<ManifestJob> init_jobs;
  std::vector<ManifestJob> train_jobs;

  // "init" or "train"; throws bgm::Error naming `flag` for anything else.
  const std::vector<ManifestJob>& stage(const std::string& stage_name, const std::string& flag = "--stage") const;
};

// Reads and expands a manifest: a file, or a bare name found in the share folders' jobs/ ("table2", see
// core/share_dir.h); `Manifest::path` is the file read. A non-empty `output_override` replaces every job's "output"
// (it is not part of the job hash, so ids do not change). Errors name the file, the axis and the key.
Manifest load_manifest(const std::string& argument, const std::string& output_override = "");
Manifest parse_manifest(const boost::json::value& doc, const std::string& source,
                        const std::string& output_override = "");

// Deep merge used for base + part + axis overrides: an object overlay merges key by key into an
// object (a shorthand string base "dataset"/"model": "x" becomes {"name": x}, "init": "x" becomes
// {"kind": x} first); anything else in the overlay replaces what was there.
boost::json::value merge_json(const boost::json::value& base, const boost::json::value& overlay);

// True when <dir>/result.json says "status": "complete" with "job_id" equal to the job's id (init and
// train results alike; the same test `bgm run` applies before skipping a finished job).
bool job_complete(const ManifestJob& job);

// Rough GPU-hours of one job on one A100-class GPU (README "Cost model"): images processed x
// per-image cost of the model, an upper bound for stop-rule runs (counted at their epoch cap). With a
// calibration (core/calibration.h) that measured the job's model and precision, its speed replaces the assumed
// one and `calibrated` (when given) is set.
double estimate_gpu_hours(const ManifestJob& job, const Calibration* calibration = nullptr, bool* calibrated = nullptr);

}  // namespace bgm
