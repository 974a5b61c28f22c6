#!/usr/bin/env bash
# Installs the Debian packages of containers/debian-packages.txt that are missing.
# Idempotent: does nothing (and needs no network) when everything is installed.
# usage: install-deps.sh [--container] [LIST]
#   --container  skip packages tagged @host (test and cluster tools an image does not need) and
#                drop apt's package lists afterwards, so the image layer stays small.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
container=0
if [[ ${1:-} == --container ]]; then
  container=1
  shift
fi
list=${1:-$here/debian-packages.txt}
# First field of each non-comment line is the package (or alternatives a|b); the rest are tags.
wanted=()
while read -r pkg tags; do
  [[ -n $pkg ]] || continue
  if ((container)) && [[ " $tags " == *" @host "* ]]; then continue; fi
  wanted+=("$pkg")
done < <(sed -e 's/#.*//' "$list")
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]; }
# "a|b": either package will do (they may conflict); the first is installed when neither is.
missing=()
for entry in "${wanted[@]}"; do
  present=0
  IFS='|' read -ra choices <<<"$entry"
  for pkg in "${choices[@]}"; do
    if installed "$pkg"; then present=1; fi
  done
  ((present)) || missing+=("${choices[0]}")
done
if ((${#missing[@]} == 0)); then
  echo "deps: all ${#wanted[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# policy-rc.d may refuse to start slurm/munge services in containers; that is fine.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
if ((container)); then
  $sudo apt-get clean
  $sudo rm -rf /var/lib/apt/lists/*
fi
