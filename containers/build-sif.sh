#!/usr/bin/env bash
# `make sif`: builds an Apptainer/SingularityCE image from containers/bgm.def, on top of a bgm Docker image.
# usage: build-sif.sh [OUT.sif]            (default build-sif/bgm.sif)
# Env: BGM_SIF_FROM  where the Docker image comes from (default docker-daemon://bgm-cuda:latest), e.g.
#                    docker-daemon://bgm-cpu:latest, or docker-archive:///abs/path/bgm.tar (from `podman save`)
#      BGM_SIF_FLAGS extra flags for `apptainer build` (e.g. --fakeroot when not root)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/build-sif/bgm.sif}
from=${BGM_SIF_FROM:-docker-daemon://bgm-cuda:latest}

# Debian ships neither apptainer nor singularity-ce; its package "singularity" is a game, so check the version line.
tool=""
for candidate in apptainer singularity; do
  if command -v "$candidate" >/dev/null && "$candidate" --version 2>/dev/null | grep -Eqi '^(apptainer|singularity)'; then
    tool=$candidate
    break
  fi
done
if [[ -z $tool ]]; then
  cat >&2 <<MSG
make sif: neither apptainer nor singularity is installed here (Debian has no package for either).
Install Apptainer (https://apptainer.org/docs/admin/main/installation.html) or use a cluster login node
that has it, build the Docker image first (docker build -f containers/Dockerfile.cuda -t bgm-cuda .),
then run \`make sif\` again. On a cluster with pyxis/enroot no SIF is needed: srun --container-image=...
MSG
  exit 2
fi

bootstrap=${from%%://*}
source_image=${from#*://}
if [[ $bootstrap == "$from" || -z $source_image ]]; then
  echo "make sif: BGM_SIF_FROM='$from': expected AGENT://IMAGE, e.g. docker-daemon://bgm-cuda:latest" >&2
  exit 2
fi
mkdir -p "$(dirname "$out")"
# bgm.def names the default source; a copy with the two header lines replaced builds from any other.
def=$(dirname "$out")/bgm.def
sed -e "s|^Bootstrap:.*|Bootstrap: $bootstrap|" -e "s|^From:.*|From: $source_image|" \
  "$root/containers/bgm.def" >"$def"
echo "make sif: $tool build $out from $bootstrap://$source_image"
# shellcheck disable=SC2086 # BGM_SIF_FLAGS is a list of flags
"$tool" build ${BGM_SIF_FLAGS:-} "$out" "$def" # runs %test too
echo "make sif: built $out"
