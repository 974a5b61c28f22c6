#!/usr/bin/env bash
# slurm/status.sh with several jobs a task (submit.sh --jobs-per-gpu): array task t runs the manifest indices on
# line t+1 of its chunk file, so a running task counts all its jobs as running and a queued one all as queued.
# A fake squeue on PATH reports task 0 running and tasks 1-2 pending.
# usage: status_chunks.sh BGM SOURCE_DIR WORK_DIR
set -uo pipefail
bgm=$1 src=$2 work=$3
fail() { echo "status_chunks: FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/bin" "$work/results/logs"
manifest=$("$bgm" list "$src/jobs/smoke.json" --path) || fail "bgm list --path"
[[ $("$bgm" list "$manifest" --stage train --count) == 5 ]] || fail "expected the smoke manifest's 5 training jobs"
printf '0,1\n2,3\n4\n' > "$work/results/logs/chunks.txt"
printf '2026-12-02 10:00:00\t%s\ttrain\t4242\t0-4\t%s\n' "$manifest" "$work/results/logs/chunks.txt" \
  > "$work/results/logs/submissions.tsv"
printf '#!/bin/bash\nprintf "4242 0 RUNNING\\n4242 1 PENDING\\n4242 2 PENDING\\n"\n' > "$work/bin/squeue"
chmod +x "$work/bin/squeue"
status=$(PATH="$work/bin:$PATH" bash "$src/slurm/status.sh" "$manifest" --output "$work/results" --bgm "$bgm") ||
  fail "status.sh failed: $status"
echo "$status"
# stage total done running queued failed not-submitted
awk '$1 == "train" {exit !($2 == 5 && $3 == 0 && $4 == 2 && $5 == 3 && $6 == 0 && $7 == 0)}' <<< "$status" ||
  fail "train: expected 2 running (task 0: jobs 0, 1) and 3 queued (tasks 1, 2: jobs 2-4)"
echo "status_chunks: ok"
