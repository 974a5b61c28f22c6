#include "train/precision.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "core/error.h"

namespace bgm {

void apply_precision(Precision precision, const torch::Device& device, const std::string& what) {
  if (precision == Precision::kFp32) {
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setFloat32MatmulPrecision("highest");
    return;
  }
  if (!device.is_cuda())
    throw Error(what + " " + name_of(precision) + ": only on CUDA (this run is on " + device.str() + "); use fp32");
  if (precision == Precision::kTf32) {
    at::globalContext().setAllowTF32CuDNN(true);
    at::globalContext().setFloat32MatmulPrecision("high");  // TF32 matmuls (cuBLAS)
  }
}

// LibTorch 2.4 made the autocast switches per device type; 1.13 had GPU-specific ones.
AutocastScope::AutocastScope(bool on) : on_(on) {
  if (!on_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  at::autocast::set_autocast_enabled(at::kCUDA, true);
  at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
#else
  at::autocast::set_enabled(true);
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
#endif
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!on_) return;
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
  at::autocast::set_enabled(false);
#endif
}

}  // namespace bgm
