#!/usr/bin/env bash
# The GPU visit's Table 2 headline script (benchmarks/table2-subset.sh) in a CPU smoke mode: only data_batch_1.bin and
# test_batch.bin exist (what travels to a GPU machine), the jobs take the first images, the manifest runs through
# `bgm sweep --jobs-per-gpu 2`, and the headline table has both inits' vanilla and SOTA cells for "first 200".
# A wrong md5 stops it before anything runs.
# usage: table2_subset_cpu.sh BGM_BINARY SOURCE_DIR
set -euo pipefail
bgm=${1:?usage: $0 BGM_BINARY SOURCE_DIR}
src=${2:?usage: $0 BGM_BINARY SOURCE_DIR}
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bgm-table2-subset-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 "$src/benchmarks/write_synthetic_cifar10.py" "$work/data/cifar-10-batches-bin" 300 >/dev/null
rm "$work"/data/cifar-10-batches-bin/data_batch_{2,3,4,5}.bin
export BGM_DATA=$work/data DEVICE=cpu MODEL=mlp SUBSET=200 TEST_SUBSET=100 R=2 INIT_EPOCHS=2 EPOCHS=4 K=2 PRECISION=fp32
if CHECK_MD5=1 bash "$src/benchmarks/table2-subset.sh" "$bgm" "$work/md5" 2>"$work/md5.err"; then
  fail "synthetic files passed the official md5 check"
fi
grep -q "data_batch_1.bin has md5" "$work/md5.err" || fail "the md5 error does not name the file: $(cat "$work/md5.err")"
[ ! -d "$work/md5/table2-subset/results" ] || fail "jobs ran although the md5 check failed"

CHECK_MD5=0 bash "$src/benchmarks/table2-subset.sh" "$bgm" "$work/out" || fail "table2-subset.sh failed"
headline=$work/out/table2-subset/tables/headline.csv
[ -s "$headline" ] || fail "no headline.csv"
# Both inits' vanilla and SOTA accuracies and drops, each over the two seeds.
python3 - "$headline" <<'PY' || fail "headline.csv lacks a 'first 200' cell over 2 seeds: $(cat "$headline")"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["n_train"] == "first 200" and r["model"] == "mlp"]
columns = {r["column"]: r["n"] for r in rows}
wanted = ["vanilla_random", "vanilla_adversarial", "vanilla_drop", "sota_random", "sota_adversarial", "sota_drop"]
sys.exit(0 if all(columns.get(c) == "2" for c in wanted) else 1)
PY
results=$(find "$work/out/table2-subset/results" -name result.json | wc -l)
[ "$results" = 10 ] || fail "expected 8 training + 2 init results, found $results"
echo PASS
