#!/usr/bin/env bash
# Golden test of bgm-aggregate: runs it on the committed results/ (good runs plus one of each broken kind) and
# compares every output with expected/; then checks the exit codes of --strict and of bad use.
# usage: golden_test.sh BGM_AGGREGATE TESTS_AGGREGATE_DIR PAPER_VALUES_CSV WORK_DIR   (UPDATE=1 rewrites expected/)
set -uo pipefail
aggregate=$(readlink -f "$1") here=$(readlink -f "$2") paper=$(readlink -f "$3") work=$(readlink -m "$4")
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cd "$here" || fail "cannot cd to $here"

# 1. Outputs equal the golden files, file for file (paths in outputs are relative to "results").
"$aggregate" results --out "$work/out" --paper-values "$paper" > "$work/stdout" 2> "$work/stderr"
[ $? -eq 0 ] || fail "without --strict the exit status should be 0 even with problems (stderr: $(cat "$work/stderr"))"
if [ "${UPDATE:-0}" = 1 ]; then rm -rf expected && cp -r "$work/out" expected && echo "expected/ rewritten"; exit 0; fi
diff -r -u expected "$work/out" || fail "outputs differ from tests/aggregate/expected (see diff above)"

# 2. Each broken file is named on stderr with its reason, never dropped silently.
for want in "unreadable: broken/truncated/result.json" "partial: broken/partial/result.json" \
            "other-schema: broken/other-schema/result.json" "duplicate: broken/zz-duplicate-copy/result.json" \
            "conflict: broken/conflict-other-lr/result.json" "unreadable: broken/missing-seed-key/result.json" \
            "missing-seeds: cifar10 resnet18 | random momentum"; do
  grep -qF "$want" "$work/stderr" || fail "stderr does not list '$want'"
done

# 3. --strict: exit 1 when anything is wrong, 0 on a clean set.
"$aggregate" results --out "$work/strict" --paper-values "$paper" --strict 2> /dev/null
[ $? -eq 1 ] || fail "--strict with problems should exit 1"
mkdir -p "$work/clean"
cp -r results/runs results/adversarial-init "$work/clean/"
rm -rf "$work"/clean/runs/cifar10-resnet18-random-momentum-*
"$aggregate" "$work/clean" --out "$work/clean-out" --paper-values "$paper" --strict > /dev/null 2> "$work/clean-stderr"
[ $? -eq 0 ] || fail "--strict on a clean set should exit 0 (stderr: $(cat "$work/clean-stderr"))"
# ... and --manifest-seeds above what every group has marks them all.
"$aggregate" "$work/clean" --out "$work/clean-out3" --paper-values "$paper" --strict --manifest-seeds 3 2> "$work/seeds-stderr"
[ $? -eq 1 ] || fail "--manifest-seeds 3 with 2-seed groups should fail under --strict"
grep -q "2 of 3 seeds" "$work/seeds-stderr" || fail "missing-seeds not reported for --manifest-seeds 3"
grep -q "n=2†" "$work/clean-out3/table1.md" || fail "short groups are not marked with a dagger in table1.md"

# 4. Bad use exits 2 with a message naming the flag or folder.
"$aggregate" results 2> "$work/usage-stderr"; [ $? -eq 2 ] || fail "missing --out should exit 2"
"$aggregate" no-such-folder --out "$work/x" 2> "$work/missing-stderr"; [ $? -eq 2 ] || fail "a missing folder should exit 2"
grep -q "no-such-folder" "$work/missing-stderr" || fail "the error should name the missing folder"
"$aggregate" results --out "$work/y" --distance both 2> "$work/flag-stderr"; [ $? -eq 2 ] || fail "a bad --distance should exit 2"
echo "golden test passed"
