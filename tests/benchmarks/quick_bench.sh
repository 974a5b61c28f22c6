#!/usr/bin/env bash
# `QUICK=1 benchmarks/run-bench.sh`: both sides of every CPU config run, the table has every row, the toy took the
# lean step, benchmarks/README.md is left alone; and run-bench-gpu.sh exits 2 with a reason on a machine without a GPU.
set -euo pipefail
# shellcheck source=tests/benchmarks/bench_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_test_lib.sh"
QUICK=1 PYTHON=$py bash "$src/benchmarks/run-bench.sh" "$bgm" "$work" > "$work/stdout" 2> "$work/stderr" ||
  { tail -20 "$work/stderr"; fail "run-bench.sh failed"; }
[[ $(sha256sum "$src/benchmarks/README.md") == "$readme_before" ]] || fail "QUICK=1 must not rewrite benchmarks/README.md"
[[ $(grep -c '^| .* | \*\*[0-9.]*x\*\* |' "$work/table.md") == 7 ]] || { cat "$work/table.md"; fail "the table should have 7 rows"; }
for name in mlp-fmnist mlp-fmnist-da toy resnet18-cifar10-da; do
  [[ -s $work/$name.bgm.json && -s $work/$name.authors.json ]] || fail "missing JSON for $name"
done
[[ $("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["step_kernel"])' "$work/toy.bgm.json") == lean-mlp-cpu ]] ||
  fail "the toy bench should take the lean step"

if ! "$py" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
  status=0
  PYTHON=$py bash "$src/benchmarks/run-bench-gpu.sh" "$bgm" "$work/gpu" 2> "$work/gpu.err" || status=$?
  if [[ $status != 2 ]] || ! grep -q "CUDA device" "$work/gpu.err"; then
    cat "$work/gpu.err"
    fail "run-bench-gpu.sh without a GPU: expected exit 2 and a reason, got status $status"
  fi
fi
echo "quick_bench: ok"
