#!/usr/bin/env bash
# The array task's container command: with --image the task binds the submit directory, the results folder and
# the manifest's folder at their own paths and the datasets at /data (BGM_DATA=/data inside), for apptainer and
# pyxis; without an image the job gets BGM_DATA. Fake apptainer/srun on PATH record what they were given.
# usage: container_binds.sh SOURCE_DIR WORK_DIR
set -uo pipefail
src=$1 work=$2
fail() { echo "container_binds: FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/bin" "$work/submit" "$work/results" "$work/manifests" "$work/datasets"
for tool in apptainer srun; do
  printf '#!/bin/bash\nprintf "%%s\\n" "$@" > "%s/%s.args"\n' "$work" "$tool" > "$work/bin/$tool"
  chmod +x "$work/bin/$tool"
done
# shellcheck disable=SC2016  # expands when the fake bgm runs
printf '#!/bin/bash\necho "BGM_DATA=$BGM_DATA" > "%s/host.env"\n' "$work" > "$work/bin/fake-bgm"
chmod +x "$work/bin/fake-bgm"
task() {  # task IMAGE CONTAINER: one array task, index 0
  (cd "$work/submit" && PATH="$work/bin:$PATH" SLURM_ARRAY_TASK_ID=0 SLURM_SUBMIT_DIR="$work/submit" \
    bash "$src/slurm/bgm-array.sbatch" "$work/bin/fake-bgm" "$work/manifests/m.json" train "$work/results" 0 \
    "$1" "$2" "" 1 "$work/datasets" > "$work/task.log" 2>&1) || { cat "$work/task.log"; fail "task with image '$1' failed"; }
}
task "$work/bgm.sif" apptainer
args=$(cat "$work/apptainer.args")
for want in "$work/submit:$work/submit" "$work/results:$work/results" "$work/manifests:$work/manifests" \
            "$work/datasets:/data" "BGM_DATA=/data"; do
  grep -qF -- "$want" <<< "$args" || fail "apptainer was not given '$want': $args"
done
task "$work/bgm.sqsh" pyxis
args=$(cat "$work/srun.args")
grep -qF -- "--container-mounts=$work/submit:$work/submit,$work/results:$work/results,$work/manifests:$work/manifests,$work/datasets:/data" <<< "$args" ||
  fail "pyxis mounts: $args"
task "" apptainer
grep -qF "BGM_DATA=$work/datasets" "$work/host.env" || fail "without an image the job did not get BGM_DATA: $(cat "$work/host.env")"
echo "container_binds: ok"
