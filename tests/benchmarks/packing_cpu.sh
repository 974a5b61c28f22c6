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

DEVICE=cpu MODELS=mlp PRECISIONS=fp32 KS="1 2" DATASET=fashion-mnist SUBSET=1000 EPOCHS=2 \
  bash "$src/benchmarks/run-bench-packing.sh" "$bgm" "$work" || fail "run-bench-packing.sh failed"
cat "$work/packing.md"
[[ $(grep -c '^| mlp | fp32 |' "$work/packing.md") == 2 ]] || fail "packing.md lacks the K = 1 and K = 2 rows"
grep -q '"schema": "bgm-calibration/1"' "$work/calibration.json" || fail "no calibration.json"
cat > "$work/mlp.json" <<'JSON'
{"name": "mlp", "base": {"dataset": "fashion-mnist", "model": "mlp", "init": "random", "mode": "vanilla"}}
JSON
listing=$("$bgm" list "$work/mlp.json" --calibration "$work/calibration.json") || fail "bgm list --calibration failed"
echo "$listing" | tail -1
grep -q 'measured on CPU' <<<"$listing" || fail "bgm list did not use the calibration: $listing"
echo PASS
