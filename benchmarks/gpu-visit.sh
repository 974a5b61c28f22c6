#!/usr/bin/env bash
# One visit to a lent GPU machine (issue 14), sized for about 6 minutes on an H200: build bgm against the machine's
# CUDA LibTorch (README "GPU builds without a container"), then several whole jobs per GPU (run-bench-packing.sh:
# ResNet18 at K = 1, 2, 4, 8 in fp32 and bf16, 10,000-image CIFAR-10 subset, one epoch) and `make gpu-check` on a
# 2,048-image subset. Everything lands under OUT (default benchmarks/results-gpu), which comes back from the visit.
# CIFAR-10: $BGM_DATA/cifar-10-batches-bin when it is there (e.g. data_batch_1.bin + test_batch.bin rebuilt with
# `bgm prepare cifar10` and carried along), else synthetic files in the official format.
# TABLE2=1 adds the Table 2 headline on real CIFAR-10's first 10,000 images (table2-subset.sh; needs the two files).
# usage: bash benchmarks/gpu-visit.sh   (env: OUT, MPS=1 to add the MPS rows, PACKING_SECONDS, CHECK_SECONDS,
#        TABLE2, TABLE2_SECONDS, and table2-subset.sh's settings)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
OUT=${OUT:-$here/results-gpu}
mkdir -p "$OUT"
exec > >(tee "$OUT/visit.log") 2>&1

start=$(date +%s)
prefix=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
# File by file (no unity batches): 16 cores, and the CUDA LibTorch as the container builds it.
cmake -S "$root" -B "$root/build-gpu" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" -DBGM_UNITY_BUILD=OFF > "$OUT/configure.log"
cmake --build "$root/build-gpu" -j "$(nproc)" --target bgm > "$OUT/build.log"
bgm=$root/build-gpu/bin/bgm
echo "gpu-visit: built in $(($(date +%s) - start)) s: $("$bgm" version | head -1)"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true

status=0
timeout "${PACKING_SECONDS:-240}" env KS="1 2 4 8" PRECISIONS="fp32 bf16" SUBSET=10000 EPOCHS=1 MPS="${MPS:-0}" \
  bash "$here/run-bench-packing.sh" "$bgm" "$OUT" || status=$?
echo "gpu-visit: packing benchmark exit $status after $(($(date +%s) - start)) s"
check=0
timeout "${CHECK_SECONDS:-150}" env DEVICE=cuda SUBSET=2048 EPOCHS=2 bash "$here/gpu-check.sh" "$bgm" "$OUT/check" || check=$?
echo "gpu-visit: gpu-check exit $check after $(($(date +%s) - start)) s"
table2=0
if [ "${TABLE2:-0}" = 1 ]; then
  timeout "${TABLE2_SECONDS:-480}" bash "$here/table2-subset.sh" "$bgm" "$OUT" || table2=$?
  echo "gpu-visit: table2-subset exit $table2 after $(($(date +%s) - start)) s"
fi
exit $((status || check || table2))
