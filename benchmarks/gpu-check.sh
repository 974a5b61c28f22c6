#!/usr/bin/env bash
# `make gpu-check`: every GPU path of bgm once, end to end, on a GPU node (benchmarks/README.md "GPU check"):
#   model      each model for EPOCHS epochs of a real job (Algorithm 1's init, then vanilla SGD) with every metric on
#              (complexity norms at every curve point, FGSM sweep, weight distances); mlp on Fashion-MNIST, the
#              others on CIFAR-10 (synthetic files in the official binary format when $BGM_DATA has none)
#   resume     a job SIGTERMed after its first checkpoint and rerun equals an undisturbed run (curve, final,
#              metrics and weight bytes; wall-clock fields aside)
#   reuse      a second job with the same adversarial key (SOTA after vanilla) reuses W0A instead of retraining it
#   bf16       a whole job (both stages) with "precision": "bf16"
#   nccl       the same at 2 ranks, `mpirun -np 2 bgm run JOB --backend nccl` (needs >= 2 GPUs and mpirun)
# Each result is checked (schema, status, device, accuracies in [0, 100] percent, finite losses, norms and
# distances) by benchmarks/gpu_check_report.py; one row per check goes to stdout and OUT_DIR/table.md, the result
# JSON to OUT_DIR/results/ and the logs to OUT_DIR/logs/. Exit 1 if a check failed, 2 if it cannot start.
# Usage: bash benchmarks/gpu-check.sh BGM_BINARY [OUT_DIR]   (default OUT_DIR: benchmarks/results-gpu/check)
# Environment: DEVICE (cuda; cpu for a smoke run), SUBSET (2048 training images), TEST_SUBSET (1000), EPOCHS (2),
#   MODELS ("resnet18 vgg16 resnet50 densenet40 mlp"), R (Algorithm 1's replicas, 2), QUICK=1 (CPU smoke sizes:
#   SUBSET 128, TEST_SUBSET 100, EPOCHS 1, R 1, MODELS "mlp resnet18", the resume and reuse checks on mlp), BGM_DATA (as bgm: where cifar-10-batches-bin
#   is looked for), PYTHON (python3), THREADS (bgm's CPU threads, 1), KEEP_WORK=1 (keep the scratch folder with weights).
set -euo pipefail

usage="usage: gpu-check.sh BGM_BINARY [OUT_DIR]"
BGM=${1:?$usage}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${2:-$HERE/results-gpu/check}
PYTHON=${PYTHON:-python3}
REPORT="$HERE/gpu_check_report.py"
DEVICE=${DEVICE:-cuda}
QUICK=${QUICK:-0}
quick() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }
SUBSET=${SUBSET:-$(quick 2048 128)}
TEST_SUBSET=${TEST_SUBSET:-$(quick 1000 100)}
EPOCHS=${EPOCHS:-$(quick 2 1)}
INIT_EPOCHS=${INIT_EPOCHS:-$EPOCHS}
MODELS=${MODELS:-$(quick "resnet18 vgg16 resnet50 densenet40 mlp" "mlp resnet18")}
RESUME_MODEL=${RESUME_MODEL:-$(quick resnet18 mlp)}
RESUME_EPOCHS=${RESUME_EPOCHS:-$(quick 8 60)}
REUSE_MODEL=${REUSE_MODEL:-$(quick resnet18 mlp)}
THREADS=${THREADS:-1}
LR=${LR:-0.02}
R=${R:-$(quick 2 1)}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-3600}

[ -x "$BGM" ] || { echo "gpu-check.sh: $BGM is not an executable (build bgm first)" >&2; exit 2; }
BGM=$(cd "$(dirname "$BGM")" && pwd)/$(basename "$BGM")
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null ||
  { echo "gpu-check.sh: $PYTHON is not a python3 >= 3.9" >&2; exit 2; }
version_json=$("$BGM" version --json) || { echo "gpu-check.sh: $BGM version --json failed" >&2; exit 2; }
field() { "$PYTHON" -c 'import json,sys; v=json.loads(sys.argv[1]); print(v.get(sys.argv[2], ""))' "$version_json" "$1"; }
case "$DEVICE" in
  cuda*)
    [ "$(field cuda_available)" = True ] || {
      echo "gpu-check.sh: DEVICE=$DEVICE but $BGM sees no CUDA device (built against a CPU LibTorch, or no GPU here; DEVICE=cpu for a smoke run)" >&2
      exit 2; } ;;
  cpu) ;;
  *) echo "gpu-check.sh: DEVICE=$DEVICE is not cuda, cuda:N or cpu" >&2; exit 2 ;;
esac

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$OUT/results" "$OUT/logs" "$OUT/jobs" "$OUT/table.md"
mkdir -p "$OUT/results" "$OUT/logs" "$OUT/jobs"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bgm-gpu-check.XXXXXX")
if [ "${KEEP_WORK:-0}" = 1 ]; then echo "gpu-check.sh: scratch folder (kept): $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi

# ---- data: real CIFAR-10 under $BGM_DATA if it is there, else synthetic files of the official format. The jobs take
# the first SUBSET training images (subset_pick "first"), so data_batch_1.bin + test_batch.bin are enough up to 10,000.
data_root=${BGM_DATA:-data}
cifar_real=1
for f in data_batch_1.bin test_batch.bin; do
  [ -s "$data_root/cifar-10-batches-bin/$f" ] || cifar_real=0
done
if [ "$cifar_real" = 1 ]; then
  cifar_note="CIFAR-10: the real files in $data_root/cifar-10-batches-bin"
else
  export BGM_DATA="$WORK/data"
  "$PYTHON" "$REPORT" synth-cifar10 "$BGM_DATA" "$SUBSET" "$TEST_SUBSET" >/dev/null
  cifar_note="CIFAR-10: synthetic (no CIFAR-10 binary files in ${data_root}/cifar-10-batches-bin): $SUBSET + $TEST_SUBSET random images in the official binary format, brightness by class"
fi
fmnist_root=/usr/share/datasets/fashion-mnist
fmnist_key=""
if [ -e "$fmnist_root/train-images-idx3-ubyte" ] || [ -e "$fmnist_root/train-images-idx3-ubyte.gz" ]; then
  fmnist_note="Fashion-MNIST: the real files in $fmnist_root"
else
  "$PYTHON" "$REPORT" synth-fashion-mnist "$WORK/data/fashion-mnist" "$SUBSET" "$TEST_SUBSET" >/dev/null
  fmnist_key=", \"root\": \"$WORK/data/fashion-mnist\""
  fmnist_note="Fashion-MNIST: synthetic IDX files (none in $fmnist_root)"
fi

# ---- the table
failed=0
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
row() {  # row CHECK MODEL STATUS SECONDS NUMBERS
  local numbers=${5//|/\\|}
  local line="| $1 | $2 | $3 | $4 | ${numbers//$'\n'/ } |"
  echo "$line"
  echo "$line" >>"$OUT/table.md"
  if [ "$3" = FAIL ]; then failed=$((failed + 1)); fi
}
gpu_name=$(nvidia-smi -L 2>/dev/null | head -1 || true)
{
  echo "# bgm GPU check"
  echo
  echo "Command: \`DEVICE=$DEVICE$( [ "$QUICK" = 1 ] && echo " QUICK=1") bash benchmarks/gpu-check.sh $1\`, run $(date -u +%Y-%m-%dT%H:%MZ) on $(hostname)."
  echo "Device: $DEVICE${gpu_name:+ ($gpu_name)}; bgm $(field bgm) (commit $(field git_commit)), LibTorch $(field libtorch), cuDNN $(field cudnn), NCCL $(field nccl)."
  echo "Jobs: $SUBSET training and $TEST_SUBSET test images, batch 128, lr $LR, $EPOCHS epoch(s) from Algorithm 1's init (R = $R, N = 0.1, $INIT_EPOCHS epoch(s)), a curve point with norms every epoch, FGSM at 0..16/255. $cifar_note. $fmnist_note."
  echo
  echo "| check | model | status | seconds | key numbers |"
  echo "|---|---|---|---:|---|"
} >"$OUT/table.md"
sed -n '/^| check/,$p' "$OUT/table.md"

# ---- jobs
adv_init="{\"kind\": \"adversarial\", \"R\": $R, \"zero_fraction\": 0.1, \"epochs\": $INIT_EPOCHS, \"batch_size\": 128, \"lr\": $LR, \"milestones\": [], \"stop_accuracy\": 0}"
write_job() {  # write_job FILE MODEL OUTPUT INIT_JSON MODE EPOCHS [EXTRA: more members, each with a leading comma]
  local file=$1 model=$2 output=$3 init=$4 mode=$5 epochs=$6 extra=${7:-} dataset label
  label=$(basename "$file" .json)
  if [ "$model" = mlp ]; then
    dataset="{\"name\": \"fashion-mnist\", \"train_subset\": $SUBSET, \"test_subset\": $TEST_SUBSET$fmnist_key}"
  else
    dataset="{\"name\": \"cifar10\", \"train_subset\": $SUBSET, \"test_subset\": $TEST_SUBSET, \"subset_pick\": \"first\"}"
  fi
  cat >"$file" <<EOF
{
  "label": "gpu-check: $label",
  "dataset": $dataset,
  "model": "$model",
  "seed": 0,
  "init": $init,
  "mode": "$mode",
  "train": {"epochs": $epochs, "batch_size": 128, "lr": $LR, "milestones": [], "stop_accuracy": 0},
  "eval": {"every": 1, "norms": true},
  "device": "$DEVICE",
  "threads": $THREADS,
  "output": "$output"$extra
}
EOF
}
bgm_run() {  # bgm_run LOG ARGS...: bgm run ARGS, output to LOG; sets rc
  local log=$1
  shift
  rc=0
  timeout "$CHECK_TIMEOUT" "$BGM" run "$@" >>"$log" 2>&1 || rc=$?
}
why() {  # why LOG: the last line of a log that says something, for a failed row
  echo "bgm run exited $rc: $(grep -v '^\s*$' "$1" | tail -1 | cut -c1-300)"
}
find_result() {  # find_result OUTPUT MODE: the train result of that mode under OUTPUT
  local found
  found=$(compgen -G "$1/runs/*-$2-s0-*/result.json" | head -1 || true)
  echo "${found:-$1/runs/missing-$2/result.json}"
}
keep() {  # keep NAME RESULT: copy a train result and its adversarial-init result into OUT/results
  [ -f "$2" ] || return 0
  cp "$2" "$OUT/results/$1.json"
  local adv
  adv=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("init", {}).get("adversarial_result", ""))' "$2")
  if [ -n "$adv" ] && [ -f "$adv" ]; then cp "$adv" "$OUT/results/$1.adversarial-init.json"; fi
}
check_result() {  # check_result CHECK MODEL T0 NAME RESULT CHECK_ARGS...
  local check=$1 model=$2 t0=$3 name=$4 result=$5 numbers status=ok
  shift 5
  keep "$name" "$result"
  numbers=$("$PYTHON" "$REPORT" check "$result" --device "${DEVICE%%:*}" "$@") || status=FAIL
  row "$check" "$model" "$status" "$(since "$t0")" "$numbers"
}

# model: every model, both stages, every metric. The first model runs first, the others after resume, reuse and
# bf16, so that a visit cut short by its time limit still has one row of each check.
check_model() {
  local model=$1 t0 name=model-$1
  t0=$(now)
  write_job "$OUT/jobs/$name.json" "$model" "$WORK/$name" "$adv_init" vanilla "$EPOCHS"
  bgm_run "$OUT/logs/$name.log" "$OUT/jobs/$name.json"
  if [ "$rc" != 0 ]; then row model "$model" FAIL "$(since "$t0")" "$(why "$OUT/logs/$name.log")"; return; fi
  check_result model "$model" "$t0" "$name" "$(find_result "$WORK/$name" vanilla)" --adversarial
}
read -r -a models <<<"$MODELS"
check_model "${models[0]}"

# resume: SIGTERM after the first checkpoint, rerun, compare with an undisturbed run.
check_resume() {
  local model=$RESUME_MODEL t0 name=resume-$RESUME_MODEL pid waited=0 numbers status=ok
  t0=$(now)
  local job="$OUT/jobs/$name.json" log="$OUT/logs/$name.log"
  write_job "$job" "$model" "$WORK/$name-straight" '"random"' sota "$RESUME_EPOCHS" \
    ', "checkpoint_every": 1, "checkpoint_seconds": 0.2, "cudnn_benchmark": false'
  echo "== undisturbed run" >"$log"
  bgm_run "$log" "$job"
  if [ "$rc" != 0 ]; then row resume "$model" FAIL "$(since "$t0")" "undisturbed run: $(why "$log")"; return; fi
  keep "$name" "$(find_result "$WORK/$name-straight" sota)"
  echo "== run to be interrupted" >>"$log"
  "$BGM" run "$job" --output "$WORK/$name-killed" >>"$log" 2>&1 &
  pid=$!
  # Wait for the first checkpoint (or 20 s), then SIGTERM: bgm checkpoints the step it stopped at and exits 143.
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 400 ] &&
        ! compgen -G "$WORK/$name-killed/runs/*/checkpoint.pt" >/dev/null; do
    sleep 0.05
    waited=$((waited + 1))
  done
  kill -TERM "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" || rc=$?
  if [ "$rc" != 143 ]; then
    row resume "$model" FAIL "$(since "$t0")" "the interrupted run exited $rc, expected 143 (SIGTERM after a checkpoint; RESUME_EPOCHS=$RESUME_EPOCHS too short?)"
    return
  fi
  echo "== rerun (resume)" >>"$log"
  local before
  before=$(wc -l <"$log")
  bgm_run "$log" "$job" --output "$WORK/$name-killed"
  if [ "$rc" != 0 ]; then row resume "$model" FAIL "$(since "$t0")" "rerun: $(why "$log")"; return; fi
  local resumed_at
  resumed_at=$(tail -n +"$((before + 1))" "$log" | grep -o 'resuming from .* at epoch [0-9]*\( step [0-9]*\)\?' | head -1 | grep -o 'epoch.*' || true)
  if [ -z "$resumed_at" ]; then row resume "$model" FAIL "$(since "$t0")" "the rerun did not resume from a checkpoint"; return; fi
  if ! numbers=$("$PYTHON" "$REPORT" resume "$WORK/$name-straight" "$WORK/$name-killed"); then
    # Not equal: a second undisturbed run says whether the device itself is nondeterministic here.
    echo "== second undisturbed run" >>"$log"
    bgm_run "$log" "$job" --output "$WORK/$name-other"
    numbers=$("$PYTHON" "$REPORT" resume "$WORK/$name-straight" "$WORK/$name-killed" "$WORK/$name-other") || status=FAIL
  fi
  if [ "$status" = ok ]; then
    numbers=$("$PYTHON" "$REPORT" check "$(find_result "$WORK/$name-killed" sota)" --device "${DEVICE%%:*}") || status=FAIL
    [ "$status" = FAIL ] || numbers="SIGTERM, exit 143, resumed at $resumed_at: identical to the undisturbed run; $numbers"
  fi
  row resume "$model" "$status" "$(since "$t0")" "$numbers"
}
check_resume

# reuse: vanilla then SOTA from one adversarial init; the second must not retrain it.
check_reuse() {
  local model=$REUSE_MODEL t0 first second adv sha numbers status=ok
  local out="$WORK/model-$model" log="$OUT/logs/reuse-$model.log"
  t0=$(now)
  # The model check's job when it ran (then bgm says "already complete"), else computed here.
  [ -f "$OUT/jobs/model-$model.json" ] || write_job "$OUT/jobs/model-$model.json" "$model" "$out" "$adv_init" vanilla "$EPOCHS"
  echo "== first job (vanilla): computes the adversarial init unless the model check did" >"$log"
  bgm_run "$log" "$OUT/jobs/model-$model.json"
  if [ "$rc" != 0 ]; then row reuse "$model" FAIL "$(since "$t0")" "first job: $(why "$log")"; return; fi
  first=$(find_result "$out" vanilla)
  adv=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["init"]["adversarial_result"])' "$first") ||
    { row reuse "$model" FAIL "$(since "$t0")" "no adversarial_result in $first"; return; }
  sha=$("$PYTHON" "$REPORT" sha256 "$adv")
  write_job "$OUT/jobs/reuse-$model.json" "$model" "$out" "$adv_init" sota "$EPOCHS"
  echo "== second job (sota), same adversarial key" >"$OUT/logs/reuse-$model.second.log"
  bgm_run "$OUT/logs/reuse-$model.second.log" "$OUT/jobs/reuse-$model.json"
  cat "$OUT/logs/reuse-$model.second.log" >>"$log"
  if [ "$rc" != 0 ]; then row reuse "$model" FAIL "$(since "$t0")" "second job: $(why "$log")"; return; fi
  second=$(find_result "$out" sota)
  keep "reuse-$model" "$second"
  numbers=$("$PYTHON" "$REPORT" reuse "$first" "$second" "$OUT/logs/reuse-$model.second.log" "$sha") || status=FAIL
  rm -f "$OUT/logs/reuse-$model.second.log"
  if [ "$status" = ok ]; then
    local sane
    sane=$("$PYTHON" "$REPORT" check "$second" --device "${DEVICE%%:*}" --adversarial) || { status=FAIL numbers=$sane; }
  fi
  row reuse "$model" "$status" "$(since "$t0")" "$numbers"
}
check_reuse

# bf16: a whole job (Algorithm 1 and SOTA training) under autocast.
if [ "$DEVICE" = cpu ]; then
  row bf16 resnet18 skipped 0 "precision bf16 runs on CUDA only (DEVICE=cpu)"
else
  t0=$(now)
  write_job "$OUT/jobs/bf16-resnet18.json" resnet18 "$WORK/bf16-resnet18" "$adv_init" sota "$EPOCHS" ', "precision": "bf16"'
  bgm_run "$OUT/logs/bf16-resnet18.log" "$OUT/jobs/bf16-resnet18.json"
  if [ "$rc" != 0 ]; then row bf16 resnet18 FAIL "$(since "$t0")" "$(why "$OUT/logs/bf16-resnet18.log")"
  else check_result bf16 resnet18 "$t0" bf16-resnet18 "$(find_result "$WORK/bf16-resnet18" sota)" --adversarial --precision bf16
  fi
fi

# nccl: 2 ranks, one GPU each, data parallel.
gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
nccl_skip=""
if [ "$DEVICE" = cpu ]; then nccl_skip="NCCL needs CUDA (DEVICE=cpu)"
elif [ "${gpus:-0}" -lt 2 ]; then nccl_skip="nvidia-smi -L lists ${gpus:-0} GPU(s), 2 needed"
elif ! command -v mpirun >/dev/null; then nccl_skip="no mpirun on PATH"
elif [ "$(field nccl)" = "" ] || [ "$(field nccl)" = "not built in" ]; then
  nccl_skip="bgm was built without NCCL (bgm version: nccl '$(field nccl)'; -DBGM_WITH_NCCL=ON)"
fi
if [ -n "$nccl_skip" ]; then
  row nccl resnet18 skipped 0 "$nccl_skip"
else
  t0=$(now)
  # device auto: each rank takes its own GPU (cuda:<local rank>); "cuda" would put both on cuda:0.
  write_job "$OUT/jobs/nccl-resnet18.json" resnet18 "$WORK/nccl-resnet18" "$adv_init" sota "$EPOCHS"
  sed -i 's/"device": "[^"]*"/"device": "auto"/' "$OUT/jobs/nccl-resnet18.json"
  root_flag=()
  if [ "$(id -u)" = 0 ]; then root_flag=(--allow-run-as-root); fi
  rc=0
  timeout "$CHECK_TIMEOUT" mpirun "${root_flag[@]}" -np 2 "$BGM" run "$OUT/jobs/nccl-resnet18.json" --backend nccl \
    >"$OUT/logs/nccl-resnet18.log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then row nccl resnet18 FAIL "$(since "$t0")" "mpirun exited $rc: $(grep -v '^\s*$' "$OUT/logs/nccl-resnet18.log" | tail -1 | cut -c1-300)"
  else check_result nccl resnet18 "$t0" nccl-resnet18 "$(find_result "$WORK/nccl-resnet18" sota)" --adversarial --ranks 2 --backend nccl
  fi
fi

for model in "${models[@]:1}"; do check_model "$model"; done

counts=$(awk -F' \\| ' '/^\| [a-z0-9]+ \| / { n[$3]++ } END { printf "%d ok, %d FAIL, %d skipped", n["ok"], n["FAIL"], n["skipped"] }' "$OUT/table.md")
{ echo; echo "$counts. Result JSON: results/, logs: logs/, job files: jobs/ (beside this file)."; } >>"$OUT/table.md"
echo
echo "gpu-check: $counts; table: $OUT/table.md"
[ "$failed" = 0 ]
