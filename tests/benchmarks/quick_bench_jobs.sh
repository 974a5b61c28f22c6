#!/usr/bin/env bash
# `make bench-jobs` in its short mode (one job per dataset of benchmarks/bench-jobs.json, both sides): every stage
# gets a row with both sides' times, bgm's stage breakdown is there, and benchmarks/README.md is left alone.
# A check that the harness works, not a timed test: no ratio is asserted.
set -euo pipefail
bgm=${1:?usage: quick_bench_jobs.sh BGM_BINARY SOURCE_DIR}
src=${2:?usage: quick_bench_jobs.sh BGM_BINARY SOURCE_DIR}
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
"$py" -c 'import torch, numpy' 2>/dev/null || { echo "skip: $py lacks torch or numpy (make deps installs them)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bgm-bench-jobs.XXXXXX")
trap 'rm -rf "$work"' EXIT
readme_before=$(sha256sum "$src/benchmarks/README.md")
"$py" "$src/benchmarks/run_bench_jobs.py" "$bgm" --quick --out "$work/out" > "$work/stdout" 2>&1 ||
  { tail -20 "$work/stdout"; fail "run_bench_jobs.py failed"; }
[[ $(sha256sum "$src/benchmarks/README.md") == "$readme_before" ]] || fail "--quick must not rewrite benchmarks/README.md"
for row in "fashion-mnist | Algorithm 1" "fashion-mnist | vanilla from adversarial" "toy-gaussians | Algorithm 1" \
           "toy-gaussians | vanilla from adversarial" "all | whole processes"; do
  grep -q "^| $row.*x |" "$work/out/table.md" || { cat "$work/out/table.md"; fail "no row '$row'"; }
done
"$py" - "$work/out/runs.json" <<'PY' || fail "bgm's stage breakdown is missing"
import json, sys
stages = json.load(open(sys.argv[1]))["stages"]
for name, sides in stages.items():
    seconds, epochs, breakdown = sides["bgm"]
    assert epochs > 0 and seconds > 0 and set(breakdown) >= {"steps", "curve_points", "stop_checks", "checkpoints"}, name
PY
echo "quick_bench_jobs: ok"
