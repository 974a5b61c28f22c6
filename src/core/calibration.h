// Measured training speeds that replace the cost model's assumed ones (`bgm list --calibration FILE`).
// The file is what `make bench-gpu` writes after running whole short jobs with `bgm sweep --jobs-per-gpu K`:
//   {"schema": "bgm-calibration/1", "gpu": "NVIDIA H200", "source": "...",
//    "entries": [{"model": "resnet18", "precision": "bf16", "jobs_per_gpu": 4, "images_per_s": 21000.0}, ...]}
// images_per_s: training images per second summed over the K jobs sharing one GPU (32x32 inputs), so a job's
// GPU-hours are its images over that figure. Per model and precision the best K is used.
#pragma once
#include <string>
#include <vector>

namespace bgm {

struct CalibrationEntry {
  std::string model, precision;
  int jobs_per_gpu = 1;
  double images_per_s = 0;  // aggregate over the jobs on one GPU
};

struct Calibration {
  std::string path, gpu, source;
  std::vector<CalibrationEntry> entries;
  // The entry with the highest aggregate speed for this model and precision; nullptr when none was measured.
  const CalibrationEntry* best(const std::string& model, const std::string& precision) const;
};

// Errors name the file and the key (schema, entries[i].images_per_s, ...).
Calibration load_calibration(const std::string& path);

}  // namespace bgm
