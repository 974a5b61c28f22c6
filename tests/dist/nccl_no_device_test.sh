#!/usr/bin/env bash
# The NCCL backend on a machine without a usable CUDA device: `bgm sweep --backend nccl` under 2 ranks must
# stop with exit status 2 and "no CUDA device" (the cudaGetDeviceCount result), not crash or hang.
# usage: nccl_no_device_test.sh BGM MPIEXEC WORKDIR
set -euo pipefail
bgm=$1 mpiexec=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cat > "$work/toy.json" <<'EOF'
{"name": "nccl-test", "base": {"dataset": "toy-gaussians", "model": "toy-mlp", "init": "random",
 "train": {"epochs": 1}, "eval": {"toy_grid": 0}}}
EOF
fail() { echo "nccl_no_device_test: FAIL: $*"; exit 1; }
status=0
"$mpiexec" --allow-run-as-root --oversubscribe -np 2 "$bgm" sweep "$work/toy.json" --backend nccl \
  --output "$work/out" > "$work/log" 2>&1 || status=$?
cat "$work/log"
[ "$status" -eq 2 ] || fail "expected exit status 2, got $status"
[ "$(grep -c "error: --backend nccl: no CUDA device" "$work/log")" -eq 2 ] || fail "each rank should name the missing device"
if grep -qiE "segmentation|core dumped|terminate called|signal" "$work/log"; then fail "crashed"; fi
echo "nccl_no_device_test: PASS"
