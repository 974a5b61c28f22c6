#!/bin/bash
# Runs a manifest on this machine without Slurm (`make reproduce MANIFEST=...`): the adversarial-init
# stage, then the training stage, skipping complete jobs, one progress line per job (done/total, ETA).
# BGM_LOCAL_JOBS=N runs N jobs at once (default 1; on a CPU box keep 1 per core). Each job's output
# goes to RESULTS_DIR/logs/local-<manifest>-<stage>-<index>.log. Interrupted jobs resume on a rerun.
#
# usage: bash slurm/run-local.sh BGM_BINARY MANIFEST RESULTS_DIR
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: bash slurm/run-local.sh BGM_BINARY MANIFEST RESULTS_DIR" >&2; exit 2; }
bgm=$1 manifest=$2 output=$3
parallel=${BGM_LOCAL_JOBS:-1}
[[ -x $bgm ]] || { echo "run-local.sh: bgm binary '$bgm' is not executable (run make build)" >&2; exit 2; }
# A bare name (table2) is a shipped manifest; bgm says where it looked when nothing matches.
manifest=$("$bgm" list "$manifest" --path) || exit 2
[[ $parallel =~ ^[1-9][0-9]*$ ]] || { echo "run-local.sh: BGM_LOCAL_JOBS must be a positive integer" >&2; exit 2; }
name=$(basename "$manifest" .json)
mkdir -p "$output/logs"
# Where OpenBLAS falls back to its generic Prescott kernels, each bgm run restarts itself with better ones
# (src/train/blas_kernel.h); choosing them once here spares every job that restart.
if [[ -z ${OPENBLAS_CORETYPE:-} ]]; then
  core=$("$bgm" version --json | sed -n 's/.*"blas":"OpenBLAS[^"]* \([A-Za-z0-9]*\) MAX_THREADS.*/\1/p')
  if [[ -n $core ]]; then export OPENBLAS_CORETYPE=$core; fi
fi

# The pending jobs of both stages as "stage index dir [axes]" lines, from `bgm list`.
todo=()
while read -r stage index _ _ _ dir tag; do
  todo+=("$stage $index $dir $tag")
done < <("$bgm" list "$manifest" --output "$output" --pending | grep -v '^#')
total=$("$bgm" list "$manifest" --output "$output" --count)
already=$((total - ${#todo[@]}))
echo "run-local.sh: $name: $total jobs, $already already complete, ${#todo[@]} to run ($parallel at a time)"

start=$(date +%s) finished=0 failures=0
declare -A running=()  # pid -> "stage index dir [axes]"
clock() { printf '%d:%02d:%02d' $(($1 / 3600)) $(($1 / 60 % 60)) $(($1 % 60)); }

# Waits for one job to end and prints its progress line.
reap_one() {
  local pid status=0 now eta="" stage index dir tag
  wait -n -p pid "${!running[@]}" || status=$?
  now=$(date +%s) finished=$((finished + 1))
  local left=$((${#todo[@]} - finished))
  [[ $left -gt 0 ]] && eta=", ETA $(clock $(((now - start) * left / finished)))"
  read -r stage index dir tag <<< "${running[$pid]}"
  if [[ $status -eq 0 ]]; then
    echo "[$((already + finished))/$total] $stage #$index done: $dir $tag (elapsed $(clock $((now - start)))$eta)"
  else
    failures=$((failures + 1))
    echo "[$((already + finished))/$total] $stage #$index FAILED (status $status): $dir $tag; last lines of" \
         "$output/logs/local-$name-$stage-$index.log:" >&2
    tail -n 15 "$output/logs/local-$name-$stage-$index.log" | sed 's/^/    /' >&2
  fi
  unset "running[$pid]"
}

# shellcheck disable=SC2317  # called by the trap
stop() {
  echo "run-local.sh: interrupted; stopping ${#running[@]} job(s) (they checkpoint; rerun to resume)" >&2
  for pid in "${!running[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
  exit 130
}
trap stop INT TERM

current_stage=""
for entry in "${todo[@]}"; do
  read -r stage index _ <<< "$entry"
  # Training jobs start only after every adversarial-init job has ended.
  if [[ $stage != "$current_stage" ]]; then
    while [[ ${#running[@]} -gt 0 ]]; do reap_one; done
    current_stage=$stage
  fi
  while [[ ${#running[@]} -ge $parallel ]]; do reap_one; done
  "$bgm" run --manifest "$manifest" --stage "$stage" --index "$index" --output "$output" \
    > "$output/logs/local-$name-$stage-$index.log" 2>&1 &
  running[$!]=$entry
done
while [[ ${#running[@]} -gt 0 ]]; do reap_one; done

if [[ $failures -gt 0 ]]; then
  echo "run-local.sh: $name: $failures job(s) failed; fix and rerun (complete jobs are skipped)" >&2
  exit 1
fi
echo "run-local.sh: $name: all $total jobs complete in $(clock $(($(date +%s) - start))); results in $output"
