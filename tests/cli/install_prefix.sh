#!/usr/bin/env bash
# `cmake --install` as a cluster user does it: install into a scratch prefix, move the prefix, hide the source and
# build folders (a private mount namespace with empty folders over them), then use only what was installed:
# `bgm list table2` by name, `submit.sh --dry-run` and `status.sh` from P/share/bgm/slurm, a job and
# bgm-aggregate (which needs P/share/bgm/analysis/paper-values.csv), and the module file through Lmod or
# Environment Modules, whichever is installed.
# usage: install_prefix.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1") source=$(realpath "$2")
fail() { echo "install_prefix: FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d /tmp/bgm-install.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

cmake --install "$build" --prefix "$scratch/first" > "$scratch/install.log" || fail "cmake --install: $(tail -3 "$scratch/install.log")"
mv "$scratch/first" "$scratch/moved"
prefix=$scratch/moved
for f in bin/bgm bin/bgm-aggregate share/bgm/jobs/table2.json share/bgm/slurm/submit.sh share/bgm/slurm/locate-bgm.sh \
         share/bgm/analysis/paper-values.csv share/bgm/containers/Dockerfile.cpu share/bgm/modulefile; do
  [[ -e $prefix/$f ]] || fail "the install lacks $f"
done
[[ -x $prefix/share/bgm/slurm/submit.sh ]] || fail "submit.sh was installed without its execute bit"

# What runs with the checkout and the build tree out of sight.
check_installed() {
  set -euo pipefail
  [[ ! -e $source/CMakeLists.txt && ! -e $build/bin/bgm ]] || fail "the source or build folder is still visible"
  local bgm=$prefix/bin/bgm share=$prefix/share/bgm
  "$bgm" --version | grep -q '^ *libtorch: [0-9]' || fail "installed bgm --version does not name LibTorch"
  [[ $("$bgm" list table2 --stage train --count) == 80 ]] || fail "bgm list table2 (by name) did not find 80 training jobs"
  [[ $("$bgm" list table2 --path) == "$share/jobs/table2.json" ]] || fail "bgm list table2 --path: $("$bgm" list table2 --path)"

  local dry
  dry=$("$share/slurm/submit.sh" table2 --dry-run --output "$scratch/results" 2>&1) || fail "submit.sh --dry-run: $dry"
  grep -q "^sbatch .*--array=0-79 .*$share/slurm/bgm-array.sbatch $bgm $share/jobs/table2.json train " <<<"$dry" ||
    fail "submit.sh --dry-run from the installed share folder did not name the installed bgm and manifest: $dry"
  "$share/slurm/status.sh" table2 --output "$scratch/results" | grep -q "^train *80 " || fail "status.sh table2"

  cat > "$scratch/job.json" <<JOB
{"dataset": "toy-gaussians", "model": "toy-mlp", "seed": 0, "mode": "vanilla", "train": {"epochs": 2},
 "output": "$scratch/results"}
JOB
  "$bgm" run "$scratch/job.json" --quiet || fail "installed bgm run"
  "$prefix/bin/bgm-aggregate" "$scratch/results" --out "$scratch/tables" > /dev/null || fail "installed bgm-aggregate"
  [[ -s $scratch/tables/headline.md ]] || fail "bgm-aggregate wrote no headline table"

  local init
  for init in /usr/share/lmod/lmod/init/bash /usr/share/modules/init/bash; do [[ -f $init ]] && break; done
  [[ -f $init ]] || fail "no module system (Lmod or Environment Modules) to load the module file with: run make deps"
  # shellcheck disable=SC1090  # the module system's own init script
  source "$init"
  local form
  for form in "$prefix/share/modulefiles bgm" "$prefix/share bgm/modulefile"; do
    read -r path name <<<"$form"
    module use "$path"
    module load "$name"
    [[ $(command -v bgm) == "$bgm" && $BGM_SHARE == "$share" ]] ||
      fail "module load $name (from $path): bgm is '$(command -v bgm)', BGM_SHARE '${BGM_SHARE:-}'"
    [[ $(bgm list table2 --path) == "$share/jobs/table2.json" ]] || fail "bgm from the module did not find table2"
    module unload "$name"
    module unuse "$path"
    [[ -z ${BGM_SHARE:-} ]] || fail "module unload $name left BGM_SHARE set"
  done
  echo "install_prefix: module file loaded and unloaded with $init"
}
export -f check_installed fail
export build source prefix scratch

if unshare --mount --propagation private true 2>/dev/null; then
  # shellcheck disable=SC2016  # expanded by the inner shell, from the exported variables
  unshare --mount --propagation private bash -c '
    mount -t tmpfs bgm-hidden "$source"
    if [[ -d $build ]]; then mount -t tmpfs bgm-hidden "$build"; fi
    check_installed'
else
  echo "install_prefix: NOTE: no private mount namespace here (unshare needs root), so the checkout stays visible"
  check_installed
fi
echo "install_prefix: PASS (installed, moved to $prefix, used without the checkout)"
