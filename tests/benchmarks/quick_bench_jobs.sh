#!/usr/bin/env bash
# `make bench-jobs` in its short mode (one job per dataset of benchmarks/bench-jobs.json, both sides): every stage
# gets a row with both sides' times, bgm's stage breakdown is there, and benchmarks/README.md is left alone.
# A check that the harness works, not a timed test: no ratio is asserted.
set -euo pipefail
# shellcheck source=tests/benchmarks/bench_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_test_lib.sh"
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
