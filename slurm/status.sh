#!/bin/bash
# Where a submitted manifest stands, per stage: done (complete result), running, queued, failed (ran
# under Slurm, left the queue, no complete result) and not submitted; lists the failed tasks' logs.
#
# usage: slurm/status.sh MANIFEST [--output DIR] [--bgm PATH]    (env BGM_RESULTS, BGM as in submit.sh)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=expand-indices.sh
source "$here/expand-indices.sh"
# shellcheck source=locate-bgm.sh
source "$here/locate-bgm.sh"
die() { echo "status.sh: $*" >&2; exit 2; }

[[ $# -ge 1 && $1 != -* ]] || die "usage: slurm/status.sh MANIFEST [--output DIR] [--bgm PATH]"
manifest=$1; shift
output=${BGM_RESULTS:-results} bgm=${BGM:-$(default_bgm "$here")}
while [[ $# -gt 0 ]]; do
  case $1 in
    --output) [[ $# -ge 2 ]] || die "--output needs a value"; output=$2; shift 2 ;;
    --bgm) [[ $# -ge 2 ]] || die "--bgm needs a value"; bgm=$2; shift 2 ;;
    *) die "unknown argument '$1'" ;;
  esac
done
[[ -n $bgm && -x $bgm ]] || bgm=$(command -v bgm || true)
[[ -n $bgm ]] || die "no bgm binary: build it (make build) or pass --bgm PATH"
manifest=$("$bgm" list "$manifest" --path) || exit 2
name=$(basename "$manifest" .json)
logs=$output/logs
have_squeue=0
command -v squeue > /dev/null && have_squeue=1

printf '%-6s %6s %6s %8s %7s %7s %14s\n' stage total 'done' running queued failed not-submitted
failed_lines=()
for stage in init train; do
  total=$("$bgm" list "$manifest" --output "$output" --stage "$stage" --count)
  declare -A state=()
  for i in $(expand_indices "$("$bgm" list "$manifest" --output "$output" --stage "$stage" --pending --indices)"); do
    state[$i]=unsubmitted
  done
  pending_count=${#state[@]}
  # Which manifest indices each array task of each submission runs: the task id itself, or with --jobs-per-gpu
  # the indices on line task+1 of the submission's chunk file. task_jobs["<array job>_<task>"] = "i j ...".
  declare -A task_jobs=()
  if [[ -f $logs/submissions.tsv ]]; then
    while IFS=$'\t' read -r _ m s job pending chunks; do
      [[ $m == "$manifest" && $s == "$stage" ]] || continue
      if [[ -n ${chunks:-} && -f $chunks ]]; then
        t=0
        while read -r line; do task_jobs[${job}_$t]=${line//,/ }; t=$((t + 1)); done < "$chunks"
      else
        for i in $(expand_indices "$pending"); do task_jobs[${job}_$i]=$i; done
      fi
    done < "$logs/submissions.tsv"
  fi
  # Tasks that ran: a log file <array job>_<task>.out; their pending jobs failed unless squeue says otherwise.
  for task in "${!task_jobs[@]}"; do
    [[ -f $logs/$task.out ]] || continue
    for i in ${task_jobs[$task]}; do
      [[ -n ${state[$i]+x} ]] && state[$i]="failed $logs/$task.out"
    done
  done
  if [[ $have_squeue == 1 ]]; then  # one line per array task: "<array job> <task> <STATE>"
    while read -r job t st; do
      for i in ${task_jobs[${job}_$t]:-$t}; do
        [[ -n ${state[$i]+x} ]] || continue
        if [[ $st == RUNNING || $st == COMPLETING ]]; then state[$i]=running; else state[$i]=queued; fi
      done
    done < <(squeue -h -r -n "bgm-$name-$stage" -o '%F %K %T' 2>/dev/null || true)
  fi
  running=0 queued=0 failed=0 unsubmitted=0
  for i in "${!state[@]}"; do
    case ${state[$i]} in
      running) running=$((running + 1)) ;;
      queued) queued=$((queued + 1)) ;;
      unsubmitted) unsubmitted=$((unsubmitted + 1)) ;;
      failed*) failed=$((failed + 1)); failed_lines+=("$stage $i: ${state[$i]#failed }") ;;
    esac
  done
  printf '%-6s %6s %6s %8s %7s %7s %14s\n' "$stage" "$total" $((total - pending_count)) \
    "$running" "$queued" "$failed" "$unsubmitted"
  unset state task_jobs
done
[[ $have_squeue == 1 ]] || echo "(squeue not found: running and queued tasks show as failed or not submitted)"
if [[ ${#failed_lines[@]} -gt 0 ]]; then
  echo "failed (no complete result; resubmit with slurm/submit.sh $manifest --output $output):"
  printf '  %s\n' "${failed_lines[@]}" | sort -k1,1 -k2n
fi
