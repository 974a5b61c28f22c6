// Weight files (W0, W0A, final) and resumable stage checkpoints. Every write is atomic and durable
// (core/atomic_file.h); a stage checkpoint is checked by reading it back before it replaces the previous one, and
// one generation is kept back, so a checkpoint that turns out unreadable is reported and the one before it used.
#pragma once
#include <string>

#include <torch/torch.h>

#include "train/sgd.h"

namespace bgm {

// Parameters and buffers by name (torch::serialize archive).
void save_weights(const torch::nn::Module& model, const std::string& path);
// Copies into `model`'s tensors (any device); errors name the file and the missing/mismatched tensor.
void load_weights(torch::nn::Module& model, const std::string& path);

struct StageState {
  std::string job_hash;     // a checkpoint of another job is never resumed
  std::string stage;        // "adversarial-init" | "train"
  int64_t epoch = 0;        // epochs completed
  int64_t step = 0;         // steps already done in epoch `epoch + 1` (preemption mid-epoch)
  double seconds = 0;       // training seconds so far, across restarts
  std::string curve_json = "[]";
  std::string extra_json = "{}";  // stage-specific (e.g. stop bookkeeping)
};

// The files of one stage checkpoint, newest first: PATH.new (written, not yet rotated in), PATH, PATH.prev.
std::vector<std::string> stage_checkpoint_generations(const std::string& path);

// Writes PATH.new, reads it back (every tensor and field must come back equal, else bgm::Error), then rotates
// PATH to PATH.prev and PATH.new to PATH.
void save_stage_checkpoint(const std::string& path, const torch::nn::Module& model, Sgd& optimizer, const StageState& state);
// The file it resumed from, or "" when no generation exists. An unreadable generation is reported on stderr and
// the next older one is used; throws when every existing generation is unreadable, or when the newest readable one
// is another job's.
std::string load_stage_checkpoint(const std::string& path, torch::nn::Module& model, Sgd& optimizer, StageState& state);
// Removes every generation (the stage is complete and its result written).
void remove_stage_checkpoints(const std::string& path);

}  // namespace bgm
