#!/usr/bin/env bash
# Bad input exits non-zero with a message naming the file, key or flag.
source "$(dirname "$0")/common.sh"

expect_error() {  # expect_error PATTERN ARGS...: exit status 2 and PATTERN on stderr
  local pattern=$1 status=0
  shift
  "$bgm" "$@" > /dev/null 2> "$work/err" || status=$?
  [[ $status -eq 2 ]] || fail "bgm $* exited $status, expected 2"
  grep -q -- "$pattern" "$work/err" || { cat "$work/err"; fail "bgm $*: message lacks '$pattern'"; }
}
echo '{"dataset": "cifar10", "model": "resnet18", "train": {"momentun": 0.9}}' > "$work/typo.json"
expect_error "typo.json: train.momentun: unknown key" run "$work/typo.json"
echo '{"dataset": "cifar10", "model": "resnet18"' > "$work/broken.json"
expect_error "broken.json: invalid JSON" run "$work/broken.json"
expect_error "no-such.json: cannot open" run "$work/no-such.json"
echo "{\"dataset\": {\"name\": \"cifar10\", \"root\": \"$work/nowhere\"}, \"model\": \"resnet18\", \"output\": \"$work/r\"}" > "$work/nodata.json"
expect_error "$work/nowhere" run "$work/nodata.json"
expect_error "to get it: \`bgm fetch cifar10\`" run "$work/nodata.json"
# Data missing from the default place with BGM_DATA unset: the path is relative to where bgm was started; say so.
mkdir -p "$work/elsewhere"
echo "{\"dataset\": \"cifar10\", \"model\": \"resnet18\", \"output\": \"$work/r\"}" > "$work/default-root.json"
(cd "$work/elsewhere" && BGM_DATA='' expect_error \
  "BGM_DATA is unset, so data/cifar-10-batches-bin is relative to the current folder $(pwd -P)" \
  run "$work/default-root.json")
echo "{\"dataset\": {\"name\": \"restricted-imagenet\", \"root\": \"$work/ri.bgmpack\"}, \"model\": \"resnet18\", \"output\": \"$work/r\"}" > "$work/ri.json"
expect_error "to get it: \`bgm prepare restricted-imagenet --src DIR --paper-size\`" run "$work/ri.json"
mkdir -p "$work/cifar/cifar-10-batches-bin"
for f in data_batch_1 data_batch_2 data_batch_3 data_batch_4 data_batch_5 test_batch; do
  head -c 3073 /dev/zero > "$work/cifar/cifar-10-batches-bin/$f.bin"
done
head -c 100 /dev/zero > "$work/cifar/cifar-10-batches-bin/data_batch_3.bin"
echo "{\"dataset\": {\"name\": \"cifar10\", \"root\": \"$work/cifar\"}, \"model\": \"resnet18\", \"output\": \"$work/r\"}" > "$work/trunc.json"
expect_error "data_batch_3.bin" run "$work/trunc.json"
# Whole records, but one batch file holds two: another dataset than cifar10, refused naming the folder.
head -c 6146 /dev/zero > "$work/cifar/cifar-10-batches-bin/data_batch_3.bin"
expect_error "cifar-10-batches-bin: the training batch files hold different numbers of records" run "$work/trunc.json"
expect_error "unknown flag --epochs" run "$work/trunc.json" --epochs 3
echo "{\"dataset\": \"toy-gaussians\", \"model\": \"toy-mlp\", \"precision\": \"bf16\", \"device\": \"cpu\", \"output\": \"$work/r\"}" > "$work/bf16.json"
expect_error "precision bf16: only on CUDA" run "$work/bf16.json"
echo '{"dataset": "toy-gaussians", "model": "toy-mlp", "precision": "fp16"}' > "$work/fp16.json"
expect_error "fp16.json: precision: 'fp16' is not fp32, tf32 or bf16" run "$work/fp16.json"
echo "{\"dataset\": \"toy-gaussians\", \"model\": \"toy-mlp\", \"output\": \"$work/r\"}" > "$work/toy.json"
BGM_LOCK_STALE_SECONDS=abc expect_error "BGM_LOCK_STALE_SECONDS: expected a positive number of seconds, got 'abc'" run "$work/toy.json"
expect_error "flag --threads: threads: value 0 is out of range" run "$work/toy.json" --threads 0
expect_error "flag --device: device: 'tpu' is not auto, cpu, cuda or cuda:N" run "$work/toy.json" --device tpu
expect_error "flag --output: expected a folder" run "$work/toy.json" --output ""
expect_error "flag --index goes with --manifest" run "$work/toy.json" --index 0
expect_error "flag --indices: expected a list" sweep "$src/jobs/smoke.json" --stage train --indices ""
echo '{"dataset": "toy-gaussians", "model": "toy-mlp", "output": ""}' > "$work/nooutput.json"
expect_error "nooutput.json: output: expected a results folder" run "$work/nooutput.json"
expect_error "unknown command" frobnicate
expect_error "out of range" run --manifest "$src/jobs/smoke.json" --index 999
[[ -z $(find "$work/r" -name result.json 2>/dev/null) ]] || fail "a failed job left a result"
echo "bad_input: ok"
