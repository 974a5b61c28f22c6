#!/usr/bin/env bash
# Seeds of one table row must be one experiment: real toy runs, two seeds of one configuration and a third seed with
# another lr, are aggregated; the odd one is reported as "mixed" (naming train.lr) and not counted, and --strict
# fails. A nested results folder (make demo's results/demo under results/) is skipped and reported, and a folder
# without results fails --strict.
# usage: configurations_test.sh BGM BGM_AGGREGATE WORK_DIR
set -uo pipefail
bgm=$1 aggregate=$2 work=$3
fail() { echo "configurations_test: FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
run() {  # run SEED LR OUTPUT
  printf '{"dataset": {"name": "toy-gaussians", "toy_points_per_class": 10, "toy_test_points_per_class": 50},
 "model": {"name": "toy-mlp", "width": 16}, "seed": %s, "train": {"lr": %s, "epochs": 5, "stop_accuracy": 0},
 "eval": {"toy_grid": 0}, "output": "%s"}' "$1" "$2" "$3" > "$work/job.json"
  "$bgm" run "$work/job.json" --quiet || fail "bgm run seed $1 lr $2"
}
run 0 0.03 "$work/results"
run 1 0.03 "$work/results"
run 2 0.01 "$work/results"
"$aggregate" "$work/results" --out "$work/tables" --strict > "$work/stdout" 2> "$work/stderr"
[[ $? -eq 1 ]] || fail "--strict with a run of another configuration should exit 1"
grep -q "mixed: runs/toy-gaussians-toy-mlp16-random-vanilla-s2-.*differs in train.lr" "$work/stderr" ||
  { cat "$work/stderr"; fail "the seed-2 run with another lr is not reported as mixed, naming train.lr"; }
grep -q "2 runs in 1 groups" "$work/stdout" || { cat "$work/stdout"; fail "the odd run was counted"; }

mkdir -p "$work/outer"
run 0 0.03 "$work/outer"
cp -r "$work/results" "$work/outer/demo"
"$aggregate" "$work/outer" --out "$work/outer-tables" > "$work/stdout" 2> "$work/stderr" || fail "nested folder: exit $?"
grep -q "nested: demo: a results folder of its own" "$work/stderr" || { cat "$work/stderr"; fail "nested folder not reported"; }
grep -q "1 runs in 1 groups" "$work/stdout" || { cat "$work/stdout"; fail "the nested folder's runs were counted"; }

mkdir -p "$work/empty"
"$aggregate" "$work/empty" --out "$work/empty-tables" --strict > /dev/null 2> "$work/stderr"
[[ $? -eq 1 ]] || fail "--strict on a folder without results should exit 1"
grep -q "empty: .*no complete result.json" "$work/stderr" || { cat "$work/stderr"; fail "empty folder not reported"; }
echo "configurations_test: ok"
