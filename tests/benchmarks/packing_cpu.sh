#!/usr/bin/env bash
# `make bench-gpu`'s packing benchmark in a CPU mode: two short Fashion-MNIST MLP jobs at K = 1 and K = 2 through
# `bgm sweep --jobs-per-gpu`, the table and a calibration file that `bgm list --calibration` accepts.
# usage: packing_cpu.sh BGM_BINARY SOURCE_DIR
set -euo pipefail
bgm=${1:?usage: $0 BGM_BINARY SOURCE_DIR}
src=${2:?usage: $0 BGM_BINARY SOURCE_DIR}
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bgm-packing-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

# bf16 fails on the CPU: its sweeps get FAIL rows, the fp32 ones are measured, the script exits 1.
rc=0
DEVICE=cpu MODELS=mlp PRECISIONS="bf16 fp32" KS="1 2" DATASET=fashion-mnist SUBSET=1000 EPOCHS=2 \
  bash "$src/benchmarks/run-bench-packing.sh" "$bgm" "$work" || rc=$?
cat "$work/packing.md"
[[ $rc == 1 ]] || fail "run-bench-packing.sh exited $rc, expected 1 (the bf16 sweeps fail on a CPU)"
[[ $(grep -c '^| mlp | fp32 |' "$work/packing.md") == 2 ]] || fail "packing.md lacks the fp32 K = 1 and K = 2 rows"
[[ $(grep -c '^| mlp | bf16 | [12] | off | [0-9.]* | FAIL |' "$work/packing.md") == 2 ]] || fail "packing.md lacks the bf16 FAIL rows"
grep -q '"schema": "bgm-calibration/1"' "$work/calibration.json" || fail "no calibration.json"
! grep -q '"bf16"' "$work/calibration.json" || fail "calibration.json has an entry from a failed sweep"
cat > "$work/mlp.json" <<'JSON'
{"name": "mlp", "base": {"dataset": "fashion-mnist", "model": "mlp", "init": "random", "mode": "vanilla"}}
JSON
listing=$("$bgm" list "$work/mlp.json" --calibration "$work/calibration.json") || fail "bgm list --calibration failed"
echo "$listing" | tail -1
grep -q 'measured on CPU' <<<"$listing" || fail "bgm list did not use the calibration: $listing"
echo PASS
