#!/usr/bin/env bash
# `make test-container`: builds containers/Dockerfile.cpu with podman on a Debian bookworm base made here
# by debootstrap (no registry needed), then runs bgm in it with the results on a mounted volume.
# Everything lives under build-container-cache/ (git-ignored); its base image and layers are reused.
# Env: BGM_CONTAINER_CACHE (cache folder), JOBS (compile jobs in the image, default 1).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
  # apt-get, debootstrap and podman's storage all need root.
  exec sudo --preserve-env=BGM_CONTAINER_CACHE,JOBS bash "${BASH_SOURCE[0]}" "$@"
fi
# Absolute: podman's database records its storage paths and refuses a different spelling later.
cache=$(realpath -m "${BGM_CONTAINER_CACHE:-$root/build-container-cache}")
base_image=localhost/bgm-base:bookworm
image=localhost/bgm-cpu:test
bgm_uid=1000  # the image's `bgm` user (Dockerfile.cpu, ARG BGM_UID)
started=$SECONDS
step() { printf '\n== test-container [%ds] %s\n' $((SECONDS - started)) "$*"; }
fail() {
  echo "test-container: FAIL: $*" >&2
  exit 1
}

step "tools: debootstrap, podman, runc"
bash "$root/containers/install-deps.sh" <(printf '%s\n' debootstrap podman runc)

# crun (podman's default) fails on hybrid cgroups here, so runc; no systemd, so cgroupfs and file events.
# Without CAP_SYS_RESOURCE (sandboxes, CI VMs) no limit can go above the host's hard one, and podman
# caps its own nproc at 32768: pass limits both allow, or runc fails with "error setting rlimit".
podman_cmd=(podman --root "$cache/podman/root" --runroot "$cache/podman/run" --storage-driver overlay
  --runtime runc --cgroup-manager cgroupfs --events-backend file)
pm() { "${podman_cmd[@]}" "$@"; }
ulimits=()
for limit in nofile:n:1048576 nproc:u:32768; do
  IFS=: read -r name flag cap <<<"$limit"
  hard=$(ulimit -H"$flag")
  if [[ $hard == unlimited ]] || ((hard > cap)); then hard=$cap; fi
  ulimits+=(--ulimit "$name=$hard:$hard")
done
label=bgm-test-container=$$
cleanup() {
  local ids
  ids=$(pm ps -a -q --filter "label=$label" 2>/dev/null || true)
  if [[ -n $ids ]]; then
    # shellcheck disable=SC2086 # one id per word
    pm rm -f $ids >/dev/null || true
  fi
}
trap cleanup EXIT

step "base image: debootstrap minbase bookworm (cached in $cache/rootfs)"
mkdir -p "$cache"
if [[ ! -e $cache/rootfs.done ]]; then
  rm -rf "$cache/rootfs"
  host_sources=/etc/apt/sources.list.d/debian.sources
  mirror=http://deb.debian.org/debian
  if [[ -f $host_sources ]]; then mirror=$(awk '/^URIs:/ {print $2; exit}' "$host_sources"); fi
  debootstrap --variant=minbase bookworm "$cache/rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 30 "$cache/debootstrap.log"; fail "debootstrap failed (log: $cache/debootstrap.log)"; }
  # Same apt sources as the host (bookworm, -updates, -security), so apt inside sees what `make deps` sees.
  if [[ -f $host_sources ]]; then
    rm -f "$cache/rootfs/etc/apt/sources.list"
    cp "$host_sources" "$cache/rootfs/etc/apt/sources.list.d/debian.sources"
  elif [[ -f /etc/apt/sources.list ]]; then
    cp /etc/apt/sources.list "$cache/rootfs/etc/apt/sources.list"
  fi
  rm -rf "$cache/rootfs/var/cache/apt/archives/"*.deb "$cache/rootfs/var/lib/apt/lists/"*
  touch "$cache/rootfs.done"
fi
if ! pm image exists "$base_image"; then
  tar -C "$cache/rootfs" -c . | pm import --change 'CMD ["/bin/bash"]' - "$base_image"
fi

step "build containers/Dockerfile.cpu (apt inside, then bgm compiled: several minutes the first time)"
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# Host networking for apt in the build: no bridge, iptables or netavark needed.
pm build --network host --pull=never "${ulimits[@]}" \
  --build-arg BASE="$base_image" --build-arg BGM_GIT_COMMIT="$commit" --build-arg JOBS="${JOBS:-1}" \
  --ignorefile "$root/containers/Dockerfile.cpu.dockerignore" \
  -f "$root/containers/Dockerfile.cpu" -t "$image" "$root"
pm image prune -f >/dev/null  # layers of earlier builds of the same tag

step "run: results on a mounted volume"
work=$cache/run
rm -rf "$work"
mkdir -p "$work/results" "$work/data"
chown -R "$bgm_uid:$bgm_uid" "$work"
run() {
  pm run --rm --network none --label "$label" "${ulimits[@]}" \
    -v "$work/data:/data:ro" -v "$work/results:/results" "$image" "$@"
}
help_text=$(run help) || fail "bgm help exited non-zero in the image"
echo "$help_text"
uid=$(pm run --rm --network none --label "$label" "${ulimits[@]}" --entrypoint id "$image" -u)
[[ $uid == "$bgm_uid" ]] || fail "the image runs as uid $uid, expected the non-root user $bgm_uid"

run models || fail "bgm models exited non-zero"
# The image holds bgm as `cmake --install` lays it out: shipped manifests by name, scripts in /usr/local/share/bgm.
[[ $(run list table2 --stage train --count) == 80 ]] || fail "bgm list table2 does not find the installed manifest"
share=/usr/local/share/bgm
# The smoke manifest, both stages, as `make reproduce` runs it: the installed slurm/run-local.sh inside the container.
pm run --rm --network none --label "$label" "${ulimits[@]}" -v "$work/results:/results" --entrypoint bash \
  "$image" "$share/slurm/run-local.sh" /usr/local/bin/bgm smoke /results \
  || fail "the smoke manifest failed in the container (logs: ${work#"$root"/}/results/logs)"
pending=$(run list smoke --output /results --pending --count)
[[ $pending == 0 ]] || fail "bgm list still shows $pending pending smoke jobs after the run"
expected=$(run list smoke --output /results --stage train --count)  # one result.json per training job
found=$(find "$work/results" -name result.json | wc -l)
((found > 0 && found >= expected)) || fail "$found result.json files on the host, expected $expected"
echo "test-container: $found result.json files of the smoke manifest on the host under ${work#"$root"/}/results"

step "PASS ($((SECONDS - started)) s; cache kept in ${cache#"$root"/}, results in ${work#"$root"/})"
