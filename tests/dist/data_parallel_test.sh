#!/usr/bin/env bash
# Data parallelism changes nothing but speed: the MLP trained by 2 ranks (each half of every global batch,
# gradients averaged) ends with the same weights as 1 rank with the same global batch, within 1e-5.
# usage: data_parallel_test.sh BGM MPIEXEC COMPARE_WEIGHTS WORKDIR
set -euo pipefail
bgm=$1 mpiexec=$2 compare=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
cat > "$work/dp.json" <<'EOF'
{
  "name": "data-parallel-test",
  "base": {
    "behaviour": "paper", "device": "cpu", "seed": 3, "init": "random", "mode": "vanilla",
    "dataset": {"name": "fashion-mnist", "train_subset": 256, "test_subset": 200},
    "model": {"name": "mlp", "width": 32},
    "train": {"epochs": 2, "batch_size": 64, "lr": 0.05},
    "eval": {"every": 1, "norms": false}
  }
}
EOF
fail() { echo "data_parallel_test: FAIL: $*"; exit 1; }
"$bgm" sweep "$work/dp.json" --output "$work/one" --backend none --quiet || fail "1-rank run failed"
"$mpiexec" --allow-run-as-root --oversubscribe -np 2 "$bgm" sweep "$work/dp.json" --ranks-per-job 2 \
  --output "$work/two" --quiet || fail "2-rank run failed"
one=$(find "$work/one" -name final.pt) two=$(find "$work/two" -name final.pt)
[ -n "$one" ] && [ -n "$two" ] || fail "final.pt missing (one: '$one', two: '$two')"
grep -qE '"ranks": *2' "$(dirname "$two")/result.json" || fail "2-rank result.json does not record ranks 2"
grep -qE '"backend": *"mpi"' "$(dirname "$two")/result.json" || fail "2-rank result.json does not record backend mpi"
"$compare" "$one" "$two" 1e-5 || fail "2-rank weights differ from 1-rank weights"
# The comparison means something only if training moved the weights.
if "$compare" "$(dirname "$one")/w0r.pt" "$one" 1e-3; then fail "training did not change the weights"; fi
echo "data_parallel_test: PASS"
