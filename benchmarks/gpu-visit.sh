#!/usr/bin/env bash
# One visit to a lent GPU machine (issue 14), sized for under 10 minutes on an H200: build bgm against the machine's
# CUDA LibTorch (README "GPU builds without a container"), then the PARTS asked for, each under its own timeout:
#   packing  several whole jobs per GPU (run-bench-packing.sh: ResNet18 at K = 1, 2, 4, 8 in fp32 and bf16,
#            10,000-image CIFAR-10 subset, one epoch)
#   check    `make gpu-check` on a 2,048-image subset (gpu-check.sh)
#   table2   the Table 2 headline on real CIFAR-10's first 10,000 images (table2-subset.sh; needs the two files;
#            about 8 minutes on its own, so a visit of its own: PARTS=table2)
# CIFAR-10: $BGM_DATA/cifar-10-batches-bin when it is there (data_batch_1.bin + test_batch.bin rebuilt with
# `bgm prepare cifar10` and carried along), else synthetic files in the official format.
# What comes back from such a machine is at most 8 files no more than two folders below OUT, so OUT gets only
# visit.log, packing.md, calibration.json, check-table.md, table2.md and details.tgz (every log, job file and result
# JSON, no weights); the jobs' weights and data stay in WORK. details.tgz is rewritten after every part, so a visit
# cut short still brings back what it did.
# usage: OUT="$OUT" BGM_COMMIT=<commit> bash benchmarks/gpu-visit.sh
#   env: OUT (default benchmarks/results-gpu), WORK (/tmp/bgm-visit), PARTS ("packing check"), MPS=1 (add the MPS
#        rows), PACKING_SECONDS (240), CHECK_SECONDS (240), TABLE2_SECONDS (540), and table2-subset.sh's settings
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
OUT=${OUT:-$here/results-gpu}
WORK=${WORK:-/tmp/bgm-visit}
PARTS=${PARTS:-packing check}
mkdir -p "$OUT" "$WORK"
start=$(date +%s)
elapsed() { echo "$(($(date +%s) - start)) s"; }

# Jobs a timed-out part leaves behind (bgm sweep's jobs run in their own process groups) must not slow the next.
settle() {
  local waited=0
  while pgrep -f "$root/build-gpu/bin/bgm" >/dev/null && [ "$waited" -lt 60 ]; do
    pkill -TERM -f "$root/build-gpu/bin/bgm"
    sleep 0.5
    waited=$((waited + 1))
  done
  pkill -KILL -f "$root/build-gpu/bin/bgm" || true
}
pack_details() {  # every log, job file and result JSON of the visit, no weights or data
  tar czf "$OUT/details.tgz" -C "$WORK" --exclude='*.pt' --exclude='*.bin' --exclude='./packing/data' \
    --exclude='*.bgmpack' . 2>/dev/null || true
}

visit() {
  local prefix status=0 part rc
  prefix=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)') || { echo "gpu-visit: no torch in python3"; return 2; }
  # NCCL from pip's nvidia-nccl package, where there is one (README "GPU builds without a container").
  local nccl=()
  nv=$(python3 -c 'import nvidia.nccl as m; print(list(m.__path__)[0])' 2>/dev/null) &&
    [ -f "$nv/include/nccl.h" ] && [ -f "$nv/lib/libnccl.so.2" ] &&
    nccl=(-DNCCL_INCLUDE_DIR="$nv/include" -DNCCL_LIBRARY="$nv/lib/libnccl.so.2")
  # File by file (no unity batches): 16 cores, and the CUDA LibTorch as the container builds it. No tests: the
  # machine may lack GTest, and CI runs them.
  cmake -S "$root" -B "$root/build-gpu" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
    -DBGM_UNITY_BUILD=OFF -DBGM_BUILD_TESTS=OFF -DBGM_GIT_COMMIT="${BGM_COMMIT:-}" "${nccl[@]}" > "$WORK/configure.log" 2>&1 ||
    { tail -n 40 "$WORK/configure.log"; pack_details; return 2; }
  grep 'bgm:' "$WORK/configure.log"
  # -k 0: one visit reports every compile error, not only the first.
  cmake --build "$root/build-gpu" -j "$(nproc)" --target bgm bgm-aggregate -- -k 0 > "$WORK/build.log" 2>&1 ||
    { grep -B2 -A12 'error' "$WORK/build.log" | head -n 200; pack_details; return 2; }
  local bgm=$root/build-gpu/bin/bgm
  echo "gpu-visit: built in $(elapsed): $("$bgm" version | head -1)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true

  for part in $PARTS; do
    rc=0
    case $part in
      packing)
        PACKING_WORK="$WORK/packing" KS="1 2 4 8" PRECISIONS="fp32 bf16" SUBSET=10000 EPOCHS=1 MPS="${MPS:-0}" \
          timeout "${PACKING_SECONDS:-240}" bash "$here/run-bench-packing.sh" "$bgm" "$OUT" || rc=$? ;;
      check)
        DEVICE=cuda SUBSET=2048 EPOCHS=2 timeout "${CHECK_SECONDS:-240}" bash "$here/gpu-check.sh" "$bgm" "$WORK/check" || rc=$?
        cp "$WORK/check/table.md" "$OUT/check-table.md" 2>/dev/null || true ;;
      table2)
        timeout "${TABLE2_SECONDS:-540}" bash "$here/table2-subset.sh" "$bgm" "$WORK" || rc=$?
        cp "$WORK/table2-subset/settings.md" "$OUT/table2.md" 2>/dev/null || true ;;
      *) echo "gpu-visit: unknown part '$part' (packing, check, table2)"; rc=2 ;;
    esac
    settle
    pack_details
    echo "gpu-visit: $part exit $rc after $(elapsed)"
    [ "$rc" = 0 ] || status=1
  done
  return "$status"
}

# The log goes to OUT as it is written; the pipeline ends only when tee has written the last line.
visit 2>&1 | tee "$OUT/visit.log"
exit "${PIPESTATUS[0]}"
