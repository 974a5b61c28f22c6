#!/usr/bin/env bash
# Issue 14, item 5, for a GPU visit: the Table 2 headline (vanilla and SOTA SGD from random and from adversarial
# init) for ResNet18 on real CIFAR-10's first SUBSET training images, as one manifest run with
# `bgm sweep --jobs-per-gpu K`, then `bgm-aggregate`. The jobs pick their images with subset_pick "first", so
# data_batch_1.bin + test_batch.bin (61 MB, `bgm prepare cifar10` here, carried along) are all it needs for
# SUBSET <= 10,000; their md5s are checked against the official ones first, so the table is never made from
# synthetic data by mistake. The schedule is the paper's CIFAR one compressed to EPOCHS (lr 0.1, x0.1 at 3/7 and
# 5/7 of the epochs), Algorithm 1 capped at INIT_EPOCHS; OUT/table2-subset/settings.md states what ran.
# usage: bash benchmarks/table2-subset.sh BGM_BINARY [OUT_DIR]
# env: DEVICE (cuda), MODEL (resnet18), SUBSET (10000), TEST_SUBSET (0 = all 10,000), SEEDS (0 1), R (10), N (0.1),
#      INIT_EPOCHS (30), EPOCHS (30), PRECISION (bf16), K (4), CHECK_MD5 (1; 0 for a smoke run on synthetic files)
set -euo pipefail

BGM=${1:?usage: table2-subset.sh BGM_BINARY [OUT_DIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/results-gpu}/table2-subset
DEVICE=${DEVICE:-cuda} MODEL=${MODEL:-resnet18} SUBSET=${SUBSET:-10000} TEST_SUBSET=${TEST_SUBSET:-0}
SEEDS=${SEEDS:-0 1} R=${R:-10} N=${N:-0.1} INIT_EPOCHS=${INIT_EPOCHS:-30} EPOCHS=${EPOCHS:-30}
PRECISION=${PRECISION:-bf16} K=${K:-4} CHECK_MD5=${CHECK_MD5:-1}
AGGREGATE=$(dirname "$BGM")/bgm-aggregate
if [ ! -x "$BGM" ] || [ ! -x "$AGGREGATE" ]; then echo "table2-subset.sh: need $BGM and $AGGREGATE" >&2; exit 2; fi

folder=${BGM_DATA:-data}/cifar-10-batches-bin
if [ "$CHECK_MD5" = 1 ]; then
  while read -r md5 file; do
    [ -f "$folder/$file" ] || { echo "table2-subset.sh: $folder/$file missing (bgm prepare cifar10, then carry it)" >&2; exit 2; }
    have=$(md5sum "$folder/$file" | cut -d' ' -f1)
    [ "$have" = "$md5" ] || { echo "table2-subset.sh: $folder/$file has md5 $have, not the official $md5" >&2; exit 2; }
  done <<'MD5'
5dd7e06a14cb22eb9f671a540d1b7c25 data_batch_1.bin
803d5f7f4d78ea53de84dbe85f74fb6d test_batch.bin
MD5
fi

rm -rf "$OUT"
mkdir -p "$OUT"
seeds=$(echo "$SEEDS" | tr ' ' ',')
milestones="$((EPOCHS * 3 / 7)), $((EPOCHS * 5 / 7))"
[ "$EPOCHS" -ge 4 ] || milestones=""
every=$(( EPOCHS >= 10 ? EPOCHS / 10 : 1 ))
cat > "$OUT/manifest.json" <<JSON
{"name": "table2-subset",
 "description": "Table 2 headline on CIFAR-10's first $SUBSET training images (issue 14 item 5)",
 "base": {"dataset": {"name": "cifar10", "train_subset": $SUBSET, "test_subset": $TEST_SUBSET, "subset_pick": "first"},
          "model": "$MODEL", "precision": "$PRECISION",
          "train": {"epochs": $EPOCHS, "milestones": [$milestones]}, "eval": {"every": $every}},
 "axes": [
   {"key": "mode", "values": ["vanilla", "sota"]},
   {"name": "init", "values": [{"label": "random", "set": {"init": "random"}},
                               {"label": "adversarial", "set": {"init": {"kind": "adversarial", "R": $R,
                                "zero_fraction": $N, "epochs": $INIT_EPOCHS}}}]},
   {"key": "seed", "values": [$seeds]}]}
JSON

start=$(date +%s)
status=0
"$BGM" sweep "$OUT/manifest.json" --jobs-per-gpu "$K" --device "$DEVICE" --output "$OUT/results" --quiet \
  > "$OUT/sweep.log" 2>&1 || status=$?
seconds=$(( $(date +%s) - start ))
"$AGGREGATE" "$OUT/results" --out "$OUT/tables" > "$OUT/aggregate.log" 2>&1 || status=$((status ? status : 3))

{
  echo "Settings: $MODEL on CIFAR-10's first $SUBSET training images (subset_pick \"first\"; md5-checked: $CHECK_MD5),"
  echo "test: $([ "$TEST_SUBSET" = 0 ] && echo "all 10000" || echo "the first $TEST_SUBSET") images; seeds $SEEDS; $PRECISION; Algorithm 1 with R = $R, N = $N, at most"
  echo "$INIT_EPOCHS epochs; then $EPOCHS epochs of vanilla / SOTA SGD (lr 0.1, x0.1 after epochs ${milestones:-none});"
  echo "\`bgm sweep --jobs-per-gpu $K --device $DEVICE\`: $seconds s for the whole manifest ($("$BGM" version | head -1))."
  echo
  # Whether Algorithm 1 memorized C within its epoch cap decides how adversarial W0A is.
  for result in "$OUT"/results/adversarial-init/*/result.json; do
    [ -f "$result" ] || continue
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); f = r["final"]
print("Algorithm 1, seed %s: %.2f%% on C after %d epochs (reached the stop rule: %s)" % (r["job"]["seed"], f["accuracy_on_c"], f["epochs"], f["reached_stop"]))' "$result"
  done
  echo
  cat "$OUT/tables/headline.md" 2>/dev/null || echo "(no headline table: see aggregate.log)"
} > "$OUT/settings.md"
cat "$OUT/settings.md"
exit "$status"
