#!/usr/bin/env bash
# submit.sh sizes a task's CPUs to the jobs it runs at once: one a job by default (K x gpus with --jobs-per-gpu),
# a smaller --cpus is kept with a warning, a bad one is refused naming the flag. Dry runs: nothing is submitted.
# usage: submit_cpus.sh BGM SOURCE_DIR WORK_DIR
set -uo pipefail
bgm=$1 src=$2 work=$3
fail() { echo "submit_cpus: FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
submit() { "$src/slurm/submit.sh" smoke --bgm "$bgm" --output "$work/results" --dry-run "$@" 2>&1; }
out=$(submit) || fail "plain dry run: $out"
grep -q -- "--cpus-per-task=1 " <<< "$out" || fail "one job a task should ask for 1 CPU: $out"
out=$(submit --jobs-per-gpu 2 --gpus 2) || fail "--jobs-per-gpu 2 --gpus 2: $out"
grep -q -- "--cpus-per-task=4 " <<< "$out" || fail "4 jobs a task should ask for 4 CPUs: $out"
out=$(BGM_JOBS_PER_GPU=3 submit --gpus 0) || fail "BGM_JOBS_PER_GPU=3 --gpus 0: $out"
grep -q -- "--cpus-per-task=3 " <<< "$out" || fail "3 jobs on a CPU task should ask for 3 CPUs: $out"
out=$(submit --jobs-per-gpu 2 --cpus 1) || fail "--cpus 1 with 2 jobs a task: $out"
if ! grep -q -- "--cpus-per-task=1 " <<< "$out" || ! grep -q "warning: 2 jobs a task share --cpus 1" <<< "$out"; then
  fail "an explicit --cpus below the jobs a task runs should be kept, with a warning: $out"
fi
if out=$(submit --cpus two); then fail "--cpus two was accepted: $out"; fi
grep -q -- "--cpus: expected a positive integer, got 'two'" <<< "$out" || fail "--cpus two: unclear error: $out"
echo "submit_cpus: ok"
