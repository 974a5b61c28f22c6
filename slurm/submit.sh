#!/bin/bash
# Submits a manifest to Slurm as two job arrays: the adversarial-init stage, then the training stage,
# which starts after the first (afterany: a training job whose init failed computes or reports it
# itself). Only jobs without a complete result are submitted, so rerunning this resumes a grid.
#
# usage: slurm/submit.sh MANIFEST [options] [extra sbatch options]
#   MANIFEST           a manifest file, or the name of a shipped one (table2 = jobs/table2.json)
#   --bgm PATH         bgm binary (env BGM; default the checkout's build/bin/bgm, else the installed one beside
#                      this script, else bgm on PATH; `bgm` inside --image)
#   --output DIR       results folder (env BGM_RESULTS; default results); logs go to DIR/logs/%A_%a.out
#   --partition P      (env BGM_PARTITION)      --account A   (env BGM_ACCOUNT)
#   --time T           per task (env BGM_TIME)  --gpus N      per task (env BGM_GPUS; default 1; 0 = none)
#   --cpus N           per task (env BGM_CPUS; default 1 a job: K x max(1, gpus) with --jobs-per-gpu K)
#   --jobs-per-gpu K   each task runs K jobs at once on each of its GPUs (on its CPUs with --gpus 0) with
#                      `bgm sweep --jobs-per-gpu K`: an array task takes K x max(1, gpus) jobs (env BGM_JOBS_PER_GPU;
#                      default 1: one job a task, `bgm run`). Jobs with more than one of `threads` need --cpus.
#   --throttle N       at most N tasks of each array at once: --array=LIST%N (env BGM_THROTTLE)
#   --image X          run bgm in this container image (env BGM_IMAGE); the task binds the results folder, the
#                      manifest's folder and the submit directory at their own paths, and --data at /data
#   --data DIR         the datasets folder (env BGM_DATA; default ./data where it exists): BGM_DATA of the tasks,
#                      or, with --image, bound at the image's /data
#   --container K      apptainer (apptainer exec --nv, default) | pyxis (srun --container-image) (env BGM_CONTAINER)
#   --no-requeue       do not requeue after a preemption/time-limit signal (default: requeue and resume)
#   --stage S          submit only the init or the train stage
#   --dry-run          print the sbatch commands instead of running them
# Any other argument goes to sbatch unchanged (e.g. --qos=high --mem=32G).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=locate-bgm.sh
source "$here/locate-bgm.sh"
# shellcheck source=expand-indices.sh
source "$here/expand-indices.sh"
die() { echo "submit.sh: $*" >&2; exit 2; }

[[ $# -ge 1 && $1 != -* ]] || die "usage: slurm/submit.sh MANIFEST [options] [sbatch options] (see the header of $0)"
manifest=$1; shift

bgm=${BGM:-} output=${BGM_RESULTS:-results} partition=${BGM_PARTITION:-} account=${BGM_ACCOUNT:-}
time_limit=${BGM_TIME:-} gpus=${BGM_GPUS:-1} cpus=${BGM_CPUS:-} throttle=${BGM_THROTTLE:-}
jobs_per_gpu=${BGM_JOBS_PER_GPU:-1}
image=${BGM_IMAGE:-} container=${BGM_CONTAINER:-apptainer} requeue=1 only_stage="" dry_run=0
data=${BGM_DATA:-}
extra=()
need() { [[ $# -ge 2 ]] || die "flag $1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --bgm) need "$@"; bgm=$2; shift 2 ;;
    --output) need "$@"; output=$2; shift 2 ;;
    --partition) need "$@"; partition=$2; shift 2 ;;
    --account) need "$@"; account=$2; shift 2 ;;
    --time) need "$@"; time_limit=$2; shift 2 ;;
    --gpus) need "$@"; gpus=$2; shift 2 ;;
    --cpus) need "$@"; cpus=$2; shift 2 ;;
    --jobs-per-gpu) need "$@"; jobs_per_gpu=$2; shift 2 ;;
    --throttle) need "$@"; throttle=$2; shift 2 ;;
    --image) need "$@"; image=$2; shift 2 ;;
    --data) need "$@"; data=$2; shift 2 ;;
    --container) need "$@"; container=$2; shift 2 ;;
    --no-requeue) requeue=0; shift ;;
    --stage) need "$@"; only_stage=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    *) extra+=("$1"); shift ;;
  esac
done
[[ $container == apptainer || $container == pyxis ]] || die "--container: expected apptainer or pyxis, got '$container'"
[[ -z $only_stage || $only_stage == init || $only_stage == train ]] || die "--stage: expected init or train, got '$only_stage'"
[[ -z $throttle || $throttle =~ ^[1-9][0-9]*$ ]] || die "--throttle: expected a positive integer, got '$throttle'"
[[ $gpus =~ ^[0-9]+$ ]] || die "--gpus: expected a number, got '$gpus'"
[[ $jobs_per_gpu =~ ^[1-9][0-9]*$ ]] || die "--jobs-per-gpu: expected a positive integer, got '$jobs_per_gpu'"
chunk=$((jobs_per_gpu * (gpus > 0 ? gpus : 1)))  # jobs per array task
cpus=${cpus:-$chunk}  # a CPU for each job running at once (a job's `threads` defaults to 1)
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "--cpus: expected a positive integer, got '$cpus'"
[[ -n $data || ! -d data ]] || data=data
if [[ -n $data ]]; then
  [[ -d $data ]] || die "--data: $data is not a folder"
  data=$(cd "$data" && pwd)
elif [[ -n $image ]]; then
  echo "submit.sh: warning: no --data (or BGM_DATA, or ./data): the image's /data is empty, so only" \
       "Fashion-MNIST (CPU image) and the toy find their data" >&2
fi

# Listing runs here, outside the container; the tasks run the image's bgm (unless --bgm names one).
lister=${bgm:-$(default_bgm "$here")}
if [[ -z $bgm ]]; then bgm=$([[ -n $image ]] && echo bgm || echo "$lister"); fi
[[ -n $lister && -x $lister ]] || lister=$(command -v bgm || true)
[[ -n $lister && -x $lister ]] || die "no bgm binary to list the manifest with: build it (make build) or pass --bgm PATH"
[[ $bgm != */* ]] || bgm=$(cd "$(dirname "$bgm")" && pwd)/$(basename "$bgm")
# Absolute paths: the tasks may start in another directory (and the sbatch script is copied). A bare manifest
# name (table2) is one of the shipped manifests; bgm says where it looked when nothing matches.
manifest=$("$lister" list "$manifest" --path) || exit 2
if [[ $dry_run == 1 ]]; then  # writes nothing: chunk files, if any, go to a scratch folder
  output=$(realpath -m "$output")
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
else
  mkdir -p "$output/logs"
  output=$(cd "$output" && pwd)
fi
name=$(basename "$manifest" .json)
if [[ $chunk -gt 1 && $cpus -lt $chunk ]]; then
  echo "submit.sh: warning: $chunk jobs a task share --cpus $cpus; give each job's threads a CPU (--cpus $chunk)" >&2
fi
# Array indices must stay below the cluster's MaxArraySize (1001 by default); chunks (--jobs-per-gpu) shrink them.
max_array=$(scontrol show config 2>/dev/null | awk '$1 == "MaxArraySize" {print $3}' || true)

common=(--parsable --open-mode=append --output="$output/logs/%A_%a.out" --cpus-per-task="$cpus")
[[ -n $partition ]] && common+=(--partition="$partition")
[[ -n $account ]] && common+=(--account="$account")
[[ -n $time_limit ]] && common+=(--time="$time_limit")
[[ $gpus -gt 0 ]] && common+=(--gpus="$gpus")
if [[ $requeue == 1 ]]; then common+=(--requeue --signal=B:USR1@120); else common+=(--no-requeue); fi

# Submits one stage's pending tasks; prints the array job id ("" when nothing is pending).
submit_stage() {
  local stage=$1 dependency=$2 pending total
  pending=$("$lister" list "$manifest" --output "$output" --stage "$stage" --pending --indices)
  total=$("$lister" list "$manifest" --output "$output" --stage "$stage" --count)
  local count
  count=$("$lister" list "$manifest" --output "$output" --stage "$stage" --pending --count)
  if [[ -z $pending ]]; then
    echo "submit.sh: $name $stage: all $total jobs complete, nothing to submit" >&2
    return 0
  fi
  # With several jobs a task, task t runs line t+1 of a chunk file (a requeued task reruns the same line).
  local array=$pending chunks=""
  if [[ $chunk -gt 1 ]]; then
    chunks=$([[ $dry_run == 1 ]] && echo "$scratch" || echo "$output/logs")/chunks-$name-$stage-$(date +%Y%m%d-%H%M%S)-$$.txt
    local columns=()
    for ((c = 0; c < chunk; c++)); do columns+=(-); done
    expand_indices "$pending" | paste -d, "${columns[@]}" | sed 's/,*$//' > "$chunks"
    array=0-$(($(wc -l < "$chunks") - 1))
  fi
  local last=${array##*[-,]}
  if [[ -n $max_array && $max_array =~ ^[0-9]+$ && $last -ge $max_array ]]; then
    die "$name $stage: array index $last is not below this cluster's MaxArraySize $max_array; submit fewer jobs a" \
        "time (--stage, a smaller manifest) or several a task (--jobs-per-gpu K)"
  fi
  local args=("${common[@]}" --job-name="bgm-$name-$stage" --array="$array${throttle:+%$throttle}")
  [[ -n $dependency ]] && args+=(--dependency="afterany:$dependency")
  args+=("${extra[@]}" "$here/bgm-array.sbatch" "$bgm" "$manifest" "$stage" "$output" "$requeue" "$image" "$container")
  args+=("$chunks" "$jobs_per_gpu" "$data")
  if [[ $dry_run == 1 ]]; then
    printf 'sbatch' >&2; printf ' %q' "${args[@]}" >&2; echo >&2
    echo "DRY-$stage"
    return 0
  fi
  local id
  id=$(sbatch "${args[@]}")
  id=${id%%;*}  # --parsable prints "jobid[;cluster]"
  # date, manifest, stage, array job, manifest indices, chunk file (task t runs its line t+1; none: task = index)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date '+%F %T')" "$manifest" "$stage" "$id" "$pending" "$chunks" \
    >> "$output/logs/submissions.tsv"
  echo "submit.sh: $name $stage: submitted array job $id with $count of $total jobs (--array=$pending)" >&2
  echo "$id"
}

init_id=""
[[ $only_stage == train ]] || init_id=$(submit_stage init "")
[[ $only_stage == init ]] || submit_stage train "$init_id" > /dev/null
echo "submit.sh: logs in $output/logs/; progress: $here/status.sh $manifest --output $output" >&2
