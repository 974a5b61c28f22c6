// Test-only fault points: the fault-injection harness (tests/faults/) places a kill at an exact moment, such as
// inside a checkpoint write, through the environment variable BGM_FAULT, which users never set.
//   BGM_FAULT=POINT:ACTION[:N][,POINT:ACTION[:N]...]   fire at the Nth time (default 1) the code reaches POINT
//   ACTION: abort  the process dies at once by SIGKILL (a crash / node failure at that moment)
//           pause  prints "bgm: fault point POINT: paused" and sleeps until killed
//           enospc the write at POINT fails as on a full disk (only at points that write)
//           term   the process sends itself SIGTERM (Slurm's preemption at that moment) and goes on
// Points: checkpoint-tmp-written, checkpoint-rotated, result-tmp-written, result-written, stage-between,
// checkpoint-write, result-write, final-metrics, fgsm-batch, pack-tmp-written (a .bgmpack or other large file
// written, not yet renamed), fetch-installed (bgm fetch: the dataset in place, its work folder not yet cleaned up)
// (see the callers of fault_point / fault_enospc).
#pragma once
#include <string>

namespace bgm {

// Runs the abort/pause action if BGM_FAULT names this point and its count is reached.
void fault_point(const char* point);
// True when BGM_FAULT asks the write at this point to fail with ENOSPC (this time).
bool fault_enospc(const char* point);

}  // namespace bgm
