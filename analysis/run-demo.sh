#!/usr/bin/env bash
# `make demo`: the CPU demo end to end. Runs jobs/demo.json (Fashion-MNIST subset x {random, adversarial}
# x {vanilla, sota}, and Fig. 1's toy settings), aggregates the results into tables and renders figures.
# usage: bash analysis/run-demo.sh BGM_BINARY RESULTS_DIR
set -euo pipefail
bgm=${1:?usage: run-demo.sh BGM_BINARY RESULTS_DIR}
results=${2:?usage: run-demo.sh BGM_BINARY RESULTS_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
aggregate="$(dirname "$bgm")/bgm-aggregate"

# One single-threaded job per core at once (each job's results do not depend on what runs beside it).
BGM_LOCAL_JOBS=${BGM_LOCAL_JOBS:-$(nproc)} bash "$root/slurm/run-local.sh" "$bgm" "$root/jobs/demo.json" "$results"
"$aggregate" "$results" --out "$results/tables"
bash "$here/render-figures.sh" "$results/tables"

echo
echo "== Headline: test accuracy from random vs adversarial init (percent, mean over seeds) =="
cat "$results/tables/headline.md"
echo
echo "Tables:  $results/tables/tables.md (also .tex and .csv per table)"
echo "Figures: $results/tables/figures/ (fig1..fig6 as PNG and SVG)"
echo "Runs:    $results/runs/*/result.json"
