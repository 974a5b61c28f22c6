#!/usr/bin/env bash
# A job killed with kill -9 (between checkpoints) or preempted with SIGTERM resumes to the same final
# weights, bit for bit, as an uninterrupted run.
source "$(dirname "$0")/common.sh"

job() {  # job OUTPUT: a Fashion-MNIST subset job long enough to interrupt
  cat > "$work/$1.json" <<JSON
{"dataset": {"name": "fashion-mnist", "train_subset": 1000, "test_subset": 500}, "model": {"name": "mlp", "width": 64},
 "seed": 2, "mode": "sota", "train": {"lr": 0.01, "batch_size": 16, "epochs": 150}, "eval": {"every": 10, "norms": false}, "checkpoint_seconds": 0,
 "output": "$work/$1"}
JSON
  echo "$work/$1.json"
}
final_of() { ls "$work"/"$1"/runs/*/final.pt; }
# Identical files, or (archives may differ in layout) identical tensors: tolerance 0.
same_weights() { cmp -s "$1" "$2" || "${BGM_COMPARE_WEIGHTS:?built with tests/dist}" "$1" "$2" 0; }

wait_for_checkpoint() {  # wait_for_checkpoint OUTPUT: until the running job has written its first checkpoint
  for _ in $(seq 600); do
    compgen -G "$work/$1/runs/*/checkpoint.pt" > /dev/null && return
    sleep 0.1
  done
}

"$bgm" run "$(job straight)" --quiet

# kill -9 once a checkpoint exists, then resume.
"$bgm" run "$(job killed)" --quiet &
pid=$!
wait_for_checkpoint killed
sleep 0.5
kill -9 "$pid" 2> /dev/null || fail "job finished before it could be killed"
wait "$pid" || true
[[ -z $(compgen -G "$work/killed/runs/*/result.json") ]] || fail "killed job left a result"
"$bgm" run "$work/killed.json" 2> "$work/resume.log"
grep -q "resuming from" "$work/resume.log" || fail "did not resume from the checkpoint"

# SIGTERM: checkpoint at the next step, exit 143, resume.
"$bgm" run "$(job termed)" --quiet &
pid=$!
wait_for_checkpoint termed
sleep 0.5
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[[ $status -eq 143 ]] || fail "SIGTERM exit status $status, expected 143"
"$bgm" run "$work/termed.json" --quiet

same_weights "$(final_of straight)" "$(final_of killed)" ||
  fail "weights after kill -9 + resume differ from the uninterrupted run"
same_weights "$(final_of straight)" "$(final_of termed)" ||
  fail "weights after SIGTERM + resume differ from the uninterrupted run"
echo "resume_after_kill: ok"
