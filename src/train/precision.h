// Numeric precision of a job (key `precision`) or a bench (`--precision`) on CUDA:
// - fp32 (default, the fidelity setting): no TF32 anywhere;
// - tf32: TF32 tensor cores for matmuls and convolutions;
// - bf16: forward and loss under CUDA autocast (bfloat16), weights, gradients and SGD in fp32.
// CPU runs are fp32 only.
#pragma once
#include <string>

#include <torch/torch.h>

#include "core/job_enums.h"

namespace bgm {

// Sets the global TF32 switches for `precision`; throws bgm::Error naming `what` (the key or flag) for tf32/bf16 on
// a non-CUDA device.
void apply_precision(Precision precision, const torch::Device& device, const std::string& what);

// bf16 autocast on CUDA for one forward (+ loss), as `with torch.autocast("cuda", dtype=torch.bfloat16)`; a no-op
// when `on` is false. Scoped per step: leaving the outermost scope drops the step's cached bf16 copies of the weights.
class AutocastScope {
 public:
  explicit AutocastScope(bool on);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool on_;
};

}  // namespace bgm
