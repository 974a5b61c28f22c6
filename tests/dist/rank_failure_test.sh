#!/usr/bin/env bash
# One rank of a 2-rank data-parallel job fails (its copy of the manifest names a dataset folder that does
# not exist; the root is not part of the job hash, so both ranks agree on the job): the whole job aborts
# with a non-zero status, the failing rank, its host and the reason, and leaves no complete result.
# usage: rank_failure_test.sh BGM MPIEXEC WORKDIR
set -euo pipefail
bgm=$1 mpiexec=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
write_manifest() {
  cat > "$1" <<EOF
{
  "name": "rank-failure-test",
  "base": {
    "behaviour": "paper", "device": "cpu", "seed": 0, "init": "random", "mode": "vanilla",
    "dataset": {"name": "fashion-mnist", "root": "$2", "train_subset": 256, "test_subset": 200},
    "model": {"name": "mlp", "width": 32},
    "train": {"epochs": 2, "batch_size": 64}
  }
}
EOF
}
write_manifest "$work/good.json" /usr/share/datasets/fashion-mnist
write_manifest "$work/bad.json" "$work/no-such-dataset"
fail() { echo "rank_failure_test: FAIL: $*"; exit 1; }
status=0
"$mpiexec" --allow-run-as-root --oversubscribe \
  -np 1 "$bgm" sweep "$work/good.json" --ranks-per-job 2 --output "$work/out" --quiet : \
  -np 1 "$bgm" sweep "$work/bad.json" --ranks-per-job 2 --output "$work/out" --quiet > "$work/log" 2>&1 || status=$?
cat "$work/log"
[ "$status" -ne 0 ] || fail "the sweep exited 0"
grep -q "rank 1 (host $(hostname)) aborting: .*no-such-dataset" "$work/log" || fail "no abort line naming rank 1, host and reason"
if [ -d "$work/out" ] && grep -rlqE '"status": *"complete"' "$work/out"; then fail "a complete-looking result was left"; fi
echo "rank_failure_test: PASS (exit status $status)"
