#!/bin/bash
# slurm/run-local.sh (what `make reproduce` calls) on jobs/smoke.json: every job completes with one
# progress line each, and a rerun finds every job complete and runs nothing.
#
# usage: tests/slurm/run_local_smoke.sh BGM_BINARY SOURCE_DIR
set -euo pipefail

bgm=$1 src=$2
out=$(mktemp -d /tmp/bgm-local.XXXXXX)
trap 'rm -rf "$out"' EXIT
manifest=$src/jobs/smoke.json
total=$("$bgm" list "$manifest" --output "$out" --count)

first=$(bash "$src/slurm/run-local.sh" "$bgm" "$manifest" "$out") || { echo "FAIL: run-local.sh: $first"; exit 1; }
echo "$first"
[[ $(grep -c '^\[[0-9]*/'"$total"'\] .* done' <<< "$first") == "$total" ]] || { echo "FAIL: expected $total progress lines"; exit 1; }
[[ $("$bgm" list "$manifest" --output "$out" --pending --count) == 0 ]] || { echo "FAIL: pending jobs remain"; exit 1; }

second=$(bash "$src/slurm/run-local.sh" "$bgm" "$manifest" "$out")
echo "$second"
grep -q "$total already complete, 0 to run" <<< "$second" || { echo "FAIL: the rerun ran jobs again"; exit 1; }
echo "PASS"
