#!/bin/bash
# Sourced by submit.sh and status.sh. Finds the bgm binary the same way from a checkout (slurm/ beside build/)
# and from an installed prefix (P/share/bgm/slurm beside P/bin), so that neither needs the other.
#
# default_bgm SLURM_DIR: the checkout's build/bin/bgm, else the installed P/bin/bgm, else bgm on PATH ("" if none).
default_bgm() {
  local candidate
  for candidate in "$1/../build/bin/bgm" "$1/../../../bin/bgm"; do
    if [[ -x $candidate ]]; then
      echo "$(cd "$(dirname "$candidate")" && pwd)/bgm"
      return 0
    fi
  done
  command -v bgm || true
}
