#!/usr/bin/env bash
# bgm prepare around its output: a place that cannot be written is refused before any decoding (hours for
# ImageNet), naming it (exit 2); what a killed run left beside the output (cinic10.bgmpack.tmp.<pid>,
# cifar-10-batches-bin.partial-<pid>) is removed by the next run, a live writer's is not; a cifar10 run that fails
# (a full disk here) leaves no staging folder.
# usage: prepare_cli.sh BGM
set -euo pipefail
bgm=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "prepare_cli: FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d /tmp/bgm-prepare.XXXXXX)
live=""
trap '[[ -n $live ]] && kill $live 2>/dev/null; rm -rf "$scratch"' EXIT
python3 -B "$here/png_trees.py" cinic10 "$scratch/cinic"
# run NAME EXPECTED_RC ARGS...: bgm prepare, output in $scratch/NAME.out
run() {
  local name=$1 expected=$2 rc=0
  shift 2
  "$bgm" prepare "$@" > "$scratch/$name.out" 2>&1 || rc=$?
  [[ $rc == "$expected" ]] || fail "$name: exit $rc, expected $expected: $(cat "$scratch/$name.out")"
}
expect_output() { grep -q -- "$2" "$scratch/$1.out" || fail "$1: output lacks '$2': $(cat "$scratch/$1.out")"; }
# Progress lines ("cinic10 train: 20 images") show that decoding ran.
expect_no_decoding() { ! grep -q " images" "$scratch/$1.out" || fail "$1: decoded before refusing: $(cat "$scratch/$1.out")"; }

# 1. --out a folder, or under a file: refused before decoding, naming the path.
mkdir "$scratch/a-folder"
run out-folder 2 cinic10 --src "$scratch/cinic" --out "$scratch/a-folder"
expect_output out-folder "$scratch/a-folder: is a folder; --out takes the .bgmpack file to write"
expect_no_decoding out-folder
touch "$scratch/plain-file"
run out-under-file 2 cinic10 --src "$scratch/cinic" --out "$scratch/plain-file/cinic10.bgmpack"
expect_output out-under-file "cannot be written: $scratch/plain-file is not a folder"
expect_no_decoding out-under-file
if [[ $(id -u) != 0 ]]; then  # root writes into a read-only folder anyway
  mkdir "$scratch/read-only" && chmod 555 "$scratch/read-only"
  BGM_DATA=$scratch/read-only run read-only 2 cinic10 --src "$scratch/cinic"
  expect_output read-only "cannot be written: $scratch/read-only: Permission denied"
  expect_no_decoding read-only
fi

# 2. A run killed with its pack written but not renamed: the next run removes the temporary pack; a temporary
#    whose writer still runs is left alone.
rc=0
BGM_DATA=$scratch/d2 BGM_FAULT=pack-tmp-written:abort "$bgm" prepare cinic10 --src "$scratch/cinic" --quiet \
  > "$scratch/killed.out" 2>&1 || rc=$?
[[ $rc == 137 ]] || fail "killed: exit $rc, expected 137 (SIGKILL): $(cat "$scratch/killed.out")"
[[ -n $(compgen -G "$scratch/d2/cinic10.bgmpack.tmp.*") ]] || fail "killed: no temporary pack: $(ls -a "$scratch/d2")"
sleep 300 > /dev/null 2>&1 & live=$!
touch "$scratch/d2/cinic10.bgmpack.tmp.$live"
BGM_DATA=$scratch/d2 run after-kill 0 cinic10 --src "$scratch/cinic" --quiet
expect_output after-kill "removed 1 temporary copy of $scratch/d2/cinic10.bgmpack left by killed runs"
[[ -f $scratch/d2/cinic10.bgmpack ]] || fail "after-kill: no pack"
[[ $(compgen -G "$scratch/d2/cinic10.bgmpack.tmp.*") == "$scratch/d2/cinic10.bgmpack.tmp.$live" ]] ||
  fail "after-kill: expected only the live writer's temporary file: $(ls -a "$scratch/d2")"

# 3. cifar10 from PNGs: a run killed while writing its staging folder, then one that fails on a full disk: the
#    second removes the first's staging folder and its own.
python3 -B "$here/png_trees.py" cifar10 "$scratch/cifar"
rc=0
BGM_DATA=$scratch/d3 BGM_FAULT="CIFAR-10 batch-tmp-written:abort" "$bgm" prepare cifar10 --src "$scratch/cifar" \
  --quiet > "$scratch/killed-cifar.out" 2>&1 || rc=$?
[[ $rc == 137 ]] || fail "killed-cifar: exit $rc, expected 137 (SIGKILL): $(cat "$scratch/killed-cifar.out")"
[[ -n $(compgen -G "$scratch/d3/cifar-10-batches-bin.partial-*") ]] || fail "killed-cifar: no staging folder"
BGM_DATA=$scratch/d3 BGM_FAULT="CIFAR-10 batch-write:enospc" run full-disk 2 cifar10 --src "$scratch/cifar" --quiet
expect_output full-disk "data_batch_1.bin: write failed: No space left on device"
[[ -z $(compgen -G "$scratch/d3/cifar-10-batches-bin*") ]] || fail "full-disk: left $(ls -a "$scratch/d3")"
echo "prepare_cli: OK"
