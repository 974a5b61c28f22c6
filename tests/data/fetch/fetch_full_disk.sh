#!/usr/bin/env bash
# bgm fetch onto a full disk, a 3 MB tmpfs as the data root. 1. A CIFAR-100 archive of 2,000 records (6 MB
# unpacked): the unpacking must fail naming the entry and "No space left on device", and leave nothing under the
# final name (libarchive reports a failed write as a mere warning and pads the file to its size with zeros).
# 2. A 4 MB download: the error names the partial file and the reason, and says the disk is full.
# Mounting needs a private mount namespace (unshare -rm) or root; without either the test is skipped (exit 77).
# usage: fetch_full_disk.sh BGM
set -euo pipefail
if [[ ${BGM_FULL_DISK_NS:-} != 1 ]] && unshare -rm true 2>/dev/null; then
  BGM_FULL_DISK_NS=1 exec unshare -rm bash "${BASH_SOURCE[0]}" "$@"
fi
bgm=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "fetch_full_disk: FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d /tmp/bgm-full-disk.XXXXXX)
server=""
mounted=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null
  [[ -n $mounted ]] && umount "$mounted" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir "$scratch/small"
if ! mount -t tmpfs -o size=3m tmpfs "$scratch/small" 2>"$scratch/mount.err"; then
  echo "fetch_full_disk: SKIP: cannot mount a tmpfs here (needs unshare -rm or root): $(cat "$scratch/mount.err")"
  exit 77
fi
mounted=$scratch/small

mkdir "$scratch/site"
python3 "$here/serve_archives.py" "$scratch/site" "$scratch/port" "$scratch/requests.log" &
server=$!
for _ in $(seq 100); do [[ -s $scratch/port ]] && break; sleep 0.1; done
[[ -s $scratch/port ]] || fail "the test server did not start"
url=http://127.0.0.1:$(cat "$scratch/port")
python3 "$here/make_archives.py" "$scratch/site" "$url" 2000
[[ $(stat -c %s "$scratch/site/cifar-100-binary.tar.gz") -lt 1000000 ]] || fail "the archive does not fit the disk"

# 1. Unpacking fills the disk: an error, nothing installed, the half-unpacked folder removed.
rc=0
"$bgm" fetch --catalog "$scratch/site/catalog.json" --quiet cifar100 --data "$scratch/small" \
  --url "$url/ok/cifar-100-binary.tar.gz" > "$scratch/full.out" 2>&1 || rc=$?
said=$(cat "$scratch/full.out")
[[ $rc != 0 ]] || fail "exit 0 on a full disk: $said"
grep -q "entry cifar-100-binary/train.bin: cannot write .*No space left on device" <<< "$said" ||
  fail "the error does not name the entry and say the disk is full: $said"
[[ ! -e $scratch/small/cifar-100-binary ]] || fail "cifar-100-binary was installed: $(ls -lR "$scratch/small")"
[[ ! -e $scratch/small/.bgm-fetch/cifar100.unpacking ]] || fail "the half-unpacked folder was left, filling the disk"
# 2. The download itself fills the disk: the error gives the reason and says to free space before resuming.
head -c 4000000 /dev/urandom > "$scratch/site/big.tar.gz"
rc=0
"$bgm" fetch --catalog "$scratch/site/catalog.json" --quiet cifar100 --data "$scratch/small/d2" \
  --url "$url/ok/big.tar.gz" > "$scratch/download.out" 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "download onto a full disk: exit $rc: $(cat "$scratch/download.out")"
grep -q "cannot write $scratch/small/d2/.bgm-fetch/cifar-100-binary.tar.gz.partial: No space left on device" \
  "$scratch/download.out" || fail "the download error lacks the file and reason: $(cat "$scratch/download.out")"
grep -q "the disk is full: free space there, then run the same command again" "$scratch/download.out" ||
  fail "the download error does not say the disk is full: $(cat "$scratch/download.out")"
echo "fetch_full_disk: OK"
