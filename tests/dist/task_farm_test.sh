#!/usr/bin/env bash
# 2-rank task farm over a toy manifest (6 training jobs, 3 of them with an adversarial init, so 3 init jobs
# first): every job runs exactly once, init jobs all before training jobs; a rerun skips everything.
# usage: task_farm_test.sh BGM MPIEXEC WORKDIR
set -euo pipefail
bgm=$1 mpiexec=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cat > "$work/farm.json" <<'EOF'
{
  "name": "farm-test",
  "base": {
    "behaviour": "paper", "device": "cpu", "mode": "vanilla",
    "dataset": {"name": "toy-gaussians", "toy_points_per_class": 10, "toy_test_points_per_class": 50},
    "model": {"name": "toy-mlp", "width": 16},
    "train": {"lr": 0.03, "batch_size": 10, "epochs": 5, "stop_accuracy": 0},
    "eval": {"every": 5, "toy_grid": 0, "norms": false}
  },
  "axes": [
    {"name": "init", "values": [
      {"label": "random", "set": {"init": "random"}},
      {"label": "adversarial", "set": {"init": {"kind": "adversarial", "lr": 0.03, "batch_size": 10, "epochs": 3}}}
    ]},
    {"key": "seed", "values": [0, 1, 2]}
  ]
}
EOF
run_farm() {
  "$mpiexec" --allow-run-as-root --oversubscribe -np 2 "$bgm" sweep "$work/farm.json" --output "$work/out" --quiet
}
fail() { echo "task_farm_test: FAIL: $*"; exit 1; }

run_farm > "$work/first.log" 2>&1 || { cat "$work/first.log"; fail "first sweep exited non-zero"; }
cat "$work/first.log"
train_runs=$(grep -c "ran train job" "$work/first.log" || true)
init_runs=$(grep -c "ran init job" "$work/first.log" || true)
distinct=$(grep -o "ran [a-z]* job [0-9a-f]*" "$work/first.log" | sort -u | wc -l)
[ "$train_runs" -eq 6 ] || fail "expected 6 training runs, saw $train_runs"
[ "$init_runs" -eq 3 ] || fail "expected 3 init runs, saw $init_runs"
[ "$distinct" -eq 9 ] || fail "expected 9 distinct jobs, saw $distinct"
last_init=$(grep -n "ran init job" "$work/first.log" | tail -1 | cut -d: -f1)
first_train=$(grep -n "ran train job" "$work/first.log" | head -1 | cut -d: -f1)
[ "$last_init" -lt "$first_train" ] || fail "a training job finished before the last init job"
complete=$(grep -lE '"status": *"complete"' $(find "$work/out" -name result.json) | wc -l)
[ "$complete" -eq 9 ] || fail "expected 9 complete result.json files, found $complete"

run_farm > "$work/second.log" 2>&1 || { cat "$work/second.log"; fail "rerun exited non-zero"; }
cat "$work/second.log"
grep -q "0 init + 0 train jobs to run (9 already complete)" "$work/second.log" || fail "rerun did not skip all 9"
if grep -q "ran .* job" "$work/second.log"; then fail "rerun ran a job again"; fi
echo "task_farm_test: PASS"
