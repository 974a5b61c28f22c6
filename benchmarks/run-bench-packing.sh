#!/usr/bin/env bash
# `make bench-gpu` part 2: several whole jobs per GPU. For each model, precision and K, runs a manifest of K
# short training jobs (different seeds, fixed epochs on a training subset) with `bgm sweep --jobs-per-gpu K` on one
# device and times the whole sweep: aggregate training images/s per GPU = K x subset x epochs / wall seconds (start-up,
# evaluation and all included). With MPS=1 and nvidia-cuda-mps-control present, every K runs again under CUDA MPS.
# Writes OUT/packing.md (the table) and OUT/calibration.json (bgm list --calibration reads it: the best K per
# model and precision). With OUT/resnet18-fp32.authors.json from run-bench-gpu.sh, the table also gives the
# ratio to the authors' loop run as they ran it (one job per GPU, fp32, cuDNN autotuning).
# A sweep that fails gets a FAIL row and the others still run; the table is written after each sweep, so a run cut
# short by a timeout keeps its rows.
# usage: bash benchmarks/run-bench-packing.sh BGM_BINARY [OUT_DIR]
# env: DEVICE (cuda | cpu, default cuda), MODELS (resnet18), PRECISIONS (fp32 bf16), KS (1 2 4 8),
#      DATASET (cifar10: BGM_DATA's, else synthetic files in the official format), SUBSET (10000), EPOCHS (1), MPS (0),
#      PACKING_WORK (the jobs' manifests, logs, results and weights; default OUT_DIR/packing)
set -euo pipefail

BGM=${1:?usage: run-bench-packing.sh BGM_BINARY [OUT_DIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/results-gpu}
DEVICE=${DEVICE:-cuda} MODELS=${MODELS:-resnet18} PRECISIONS=${PRECISIONS:-fp32 bf16} KS=${KS:-1 2 4 8}
DATASET=${DATASET:-cifar10} SUBSET=${SUBSET:-10000} EPOCHS=${EPOCHS:-1} MPS=${MPS:-0}
[ -x "$BGM" ] || { echo "run-bench-packing.sh: $BGM is not an executable" >&2; exit 2; }
work=${PACKING_WORK:-$OUT/packing}
mkdir -p "$OUT" "$work"

# CIFAR-10 for the jobs: $BGM_DATA's if it is there, else random images in the official binary format. The jobs
# take the first SUBSET training images (subset_pick "first"), so data_batch_1.bin + test_batch.bin are enough.
if [ "$DATASET" = cifar10 ] && [ ! -f "${BGM_DATA:-data}/cifar-10-batches-bin/test_batch.bin" ]; then
  export BGM_DATA=$work/data
  python3 "$HERE/write_synthetic_cifar10.py" "$BGM_DATA/cifar-10-batches-bin"
  synthetic=" (synthetic images in the official format)"
fi

mps_modes=(off)
if [ "$MPS" = 1 ] && command -v nvidia-cuda-mps-control >/dev/null; then mps_modes+=(on); fi
export CUDA_MPS_PIPE_DIRECTORY=$work/mps-pipe CUDA_MPS_LOG_DIRECTORY=$work/mps-log
mps() {  # on | off
  if [ "$1" = on ]; then
    mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
    nvidia-cuda-mps-control -d
  else
    echo quit | nvidia-cuda-mps-control 2>/dev/null || true
  fi
}
trap 'if [ "${#mps_modes[@]}" -gt 1 ]; then mps off; fi' EXIT

gpu=$( (nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null || echo "CPU ($(nproc) cores)") | head -1)
[ "$DEVICE" = cpu ] && gpu="CPU ($(nproc) cores)"
rows=$work/rows.tsv
: > "$rows"
report() { python3 "$HERE/packing_report.py" "$rows" "$OUT" "$gpu" "$DATASET${synthetic:-}" "$SUBSET" "$EPOCHS" > /dev/null; }
failed=0
for model in $MODELS; do
  for precision in $PRECISIONS; do
    for k in $KS; do
      for mode in "${mps_modes[@]}"; do
        name=$model-$precision-k$k-mps$mode
        seeds=$(seq -s, 0 $((k - 1)))
        cat > "$work/$name.json" <<JSON
{"name": "$name",
 "base": {"dataset": {"name": "$DATASET", "train_subset": $SUBSET, "test_subset": 1000, "subset_pick": "first"}, "model": "$model",
          "init": "random", "mode": "vanilla", "precision": "$precision", "checkpoint_every": 1000,
          "train": {"epochs": $EPOCHS, "batch_size": 128, "lr": 0.01},
          "eval": {"every": $EPOCHS, "norms": false, "fgsm_eps": []}},
 "axes": [{"key": "seed", "values": [$seeds]}]}
JSON
        rm -rf "${work:?}/$name"
        [ "$mode" = on ] && mps on
        start=$(date +%s.%N)
        rc=0
        "$BGM" sweep "$work/$name.json" --jobs-per-gpu "$k" --device "$DEVICE" --output "$work/$name" \
          > "$work/$name.log" 2>&1 || rc=$?
        seconds=$(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")
        [ "$mode" = on ] && mps off
        if [ "$rc" != 0 ]; then
          echo "run-bench-packing.sh: $name failed (exit $rc):" >&2
          tail -n 20 "$work/$name.log" >&2
          printf '%s\t%s\t%s\t%s\t%.2f\tFAIL\n' "$model" "$precision" "$k" "$mode" "$seconds" >> "$rows"
          failed=1
          report
          continue
        fi
        rate=$(python3 -c "import sys; k, n, e, s = map(float, sys.argv[1:]); print(k * n * e / s)" "$k" "$SUBSET" "$EPOCHS" "$seconds")
        printf '%s\t%s\t%s\t%s\t%.2f\t%.1f\n' "$model" "$precision" "$k" "$mode" "$seconds" "$rate" >> "$rows"
        printf '%s: %d jobs in %.1f s, %.0f images/s per device\n' "$name" "$k" "$seconds" "$rate" >&2
        report
      done
    done
  done
done

cat "$OUT/packing.md"
echo "run-bench-packing.sh: wrote $OUT/packing.md and $OUT/calibration.json" >&2
exit "$failed"
