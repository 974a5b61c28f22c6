#!/usr/bin/env bash
# bgm fetch against a local HTTP server (serve_archives.py) serving small archives in the official layouts
# (make_archives.py): a clean fetch of each kind, a rerun that downloads nothing, a dropped connection resumed by
# a retry, a truncated download kept and resumed by the next run, a server that ignores Range, a wrong checksum,
# a wrong record count, a 404, a damaged installed copy, BGM_MIRROR, the manual steps for ImageNet, a typo among
# several names, --list, a damaged kept archive, two fetches of one dataset at once, a fetch killed before it
# cleaned up, and the unpacked files synced before they are renamed into place.
# usage: fetch_http.sh BGM
set -euo pipefail
bgm=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "fetch_http: FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d /tmp/bgm-fetch.XXXXXX)
server=""
trap '[[ -n $server ]] && kill $server 2>/dev/null; rm -rf "$scratch"' EXIT

mkdir -p "$scratch/site"
python3 "$here/serve_archives.py" "$scratch/site" "$scratch/port" "$scratch/requests.log" &
server=$!
for _ in $(seq 100); do [[ -s $scratch/port ]] && break; sleep 0.1; done
[[ -s $scratch/port ]] || fail "the test server did not start"
url=http://127.0.0.1:$(cat "$scratch/port")
python3 "$here/make_archives.py" "$scratch/site" "$url"
catalog=$scratch/site/catalog.json
requests() { wc -l < "$scratch/requests.log"; }
# run NAME EXPECTED_RC ARGS...: bgm fetch with the test catalogue, output in $scratch/NAME.out
run() {
  local name=$1 expected=$2 rc=0
  shift 2
  "$bgm" fetch --catalog "$catalog" --quiet "$@" > "$scratch/$name.out" 2>&1 || rc=$?
  [[ $rc == "$expected" ]] || fail "$name: exit $rc, expected $expected: $(cat "$scratch/$name.out")"
}
expect_output() { grep -q -- "$2" "$scratch/$1.out" || fail "$1: output lacks '$2': $(cat "$scratch/$1.out")"; }

# 1. A clean fetch: files where the loader looks, nothing left in the work folder; a rerun downloads nothing.
run clean 0 cifar10 --data "$scratch/d1"
[[ -f $scratch/d1/cifar-10-batches-bin/data_batch_5.bin && -f $scratch/d1/cifar-10-batches-bin/test_batch.bin ]] ||
  fail "clean: cifar-10-batches-bin incomplete: $(ls -R "$scratch/d1")"
[[ ! -e $scratch/d1/.bgm-fetch ]] || fail "clean: the work folder was left behind"
expect_output clean "20 train and 4 test images"
before=$(requests)
run again 0 cifar10 --data "$scratch/d1"
expect_output again "already present and checked"
[[ $(requests) == "$before" ]] || fail "again: the rerun made HTTP requests"

# 2. A connection dropped half way: the retry asks for the rest (Range) and the result is whole.
run drop-once 0 cifar100 --data "$scratch/d2" --url "$url/drop-once/cifar-100-binary.tar.gz"
grep -q '^drop-once cifar-100-binary.tar.gz bytes=[1-9][0-9]*-$' "$scratch/requests.log" ||
  fail "drop-once: no resuming Range request: $(cat "$scratch/requests.log")"
[[ -f $scratch/d2/cifar-100-binary/train.bin ]] || fail "drop-once: cifar-100-binary/train.bin missing"

# 3. A download that always breaks off: an error, nothing under the final name, the partial file kept; the
#    next run resumes from it.
run truncated 2 cifar10 --data "$scratch/d3" --attempts 2 --url "$url/drop-always/cifar-10-binary.tar.gz"
expect_output truncated "download failed"
expect_output truncated "run the same command again to resume"
[[ ! -e $scratch/d3/cifar-10-batches-bin ]] || fail "truncated: the final folder exists"
partial=$scratch/d3/.bgm-fetch/cifar-10-binary.tar.gz.partial
full=$(stat -c %s "$scratch/site/cifar-10-binary.tar.gz")
[[ -f $partial && $(stat -c %s "$partial") -gt 0 && $(stat -c %s "$partial") -lt $full ]] ||
  fail "truncated: expected a partial file shorter than $full bytes"
kept=$(stat -c %s "$partial")
run resumed 0 cifar10 --data "$scratch/d3"
grep -q "^ok cifar-10-binary.tar.gz bytes=$kept-\$" "$scratch/requests.log" || fail "resumed: did not ask for bytes $kept-"
cmp "$scratch/d1/cifar-10-batches-bin/data_batch_3.bin" "$scratch/d3/cifar-10-batches-bin/data_batch_3.bin" ||
  fail "resumed: data_batch_3.bin differs from a clean fetch"

# 4. A server that ignores Range: the stale partial file is replaced, not extended.
mkdir -p "$scratch/d4/.bgm-fetch"
printf 'stale bytes' > "$scratch/d4/.bgm-fetch/cifar-10-binary.tar.gz.partial"
run no-range 0 cifar10 --data "$scratch/d4" --url "$url/no-range/cifar-10-binary.tar.gz"
[[ $(grep -c '^no-range ' "$scratch/requests.log") == 2 ]] || fail "no-range: expected a refused resume, then a whole download"

# 5. A wrong checksum: a clear error naming both md5s, nothing under the final name, the bad download removed.
python3 - "$catalog" "$scratch/wrong-md5.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["cifar10"]["md5"] = "0" * 32
del c["cifar10"]["sha256"]
c["cifar100"]["files"][0]["records"] = 5
json.dump(c, open(sys.argv[2], "w"))
PY
rc=0
"$bgm" fetch --catalog "$scratch/wrong-md5.json" --quiet cifar10 --data "$scratch/d5" > "$scratch/md5.out" 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "wrong md5: exit $rc"
expect_output md5 "expected 00000000000000000000000000000000"
expect_output md5 "md5 $(md5sum < "$scratch/site/cifar-10-binary.tar.gz" | cut -d' ' -f1)"
[[ ! -e $scratch/d5/cifar-10-batches-bin && ! -e $scratch/d5/.bgm-fetch/cifar-10-binary.tar.gz.partial &&
   ! -e $scratch/d5/.bgm-fetch/cifar-10-binary.tar.gz ]] || fail "wrong md5: something was left: $(ls -aR "$scratch/d5")"

# 6. A file with the wrong number of records: named, and not moved into place.
rc=0
"$bgm" fetch --catalog "$scratch/wrong-md5.json" --quiet cifar100 --data "$scratch/d6" > "$scratch/records.out" 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "wrong records: exit $rc"
expect_output records "train.bin: 12296 bytes, expected 5 records of 3074 bytes"
[[ ! -e $scratch/d6/cifar-100-binary ]] || fail "wrong records: cifar-100-binary was moved into place"

# 7. A 404 is not retried and names the URL.
run missing 2 cifar10 --data "$scratch/d7" --url "$url/ok/no-such-file.tar.gz"
expect_output missing "no-such-file.tar.gz: download failed (HTTP status 404)"
[[ $(grep -c 'no-such-file' "$scratch/requests.log") == 1 ]] || fail "missing: a 404 was retried"

# 8. A damaged installed copy is reported, not silently replaced or trusted.
printf 'x' >> "$scratch/d1/cifar-10-batches-bin/test_batch.bin"
run damaged 2 cifar10 --data "$scratch/d1"
expect_output damaged "test_batch.bin: 12293 bytes, expected 4 records"
expect_output damaged "move it away"

# 9. CINIC-10 through a mirror: the pack jobs read, the images kept beside it; a rerun is a no-op.
BGM_MIRROR=$url/ok run cinic 0 cinic10 --data "$scratch/d9"
[[ -f $scratch/d9/cinic10.bgmpack && -d $scratch/d9/CINIC-10/train/airplane ]] || fail "cinic: $(ls -R "$scratch/d9" | head)"
expect_output cinic "10 train and 10 test images"
BGM_DATA=$scratch/d9 run cinic-again 0 cinic10
expect_output cinic-again "already present"

# 10. ImageNet: the manual steps; an unknown name lists the known ones.
run imagenet 0 restricted-imagenet --data "$scratch/d10"
expect_output imagenet "bgm prepare restricted-imagenet"
run unknown 2 imagenet64
expect_output unknown "expected one of cifar10, cifar100, cinic10, restricted-imagenet"
"$bgm" fetch --list | grep -q "c32a1d4ab5d03f1284b67883e8d87530" || fail "--list lacks CIFAR-10's published md5"

# 11. A typo in any name is refused before anything is downloaded; --list takes no names and shows the data root.
before=$(requests)
run typo 2 cifar10 cifr100 --data "$scratch/d11"
expect_output typo "unknown dataset 'cifr100'"
[[ $(requests) == "$before" && ! -e $scratch/d11/cifar-10-batches-bin ]] || fail "typo: cifar10 was fetched first"
run list-name 2 --list cifar10
expect_output list-name "flag --list"
BGM_DATA=$scratch/d11 run list-root 0 --list
expect_output list-root "data root: $scratch/d11"

# 12. A kept archive damaged since an earlier run is replaced by a fresh download, not reported on every run.
run keep 0 cifar10 --data "$scratch/d12" --keep-archive
kept_archive=$scratch/d12/.bgm-fetch/cifar-10-binary.tar.gz
[[ -f $kept_archive ]] || fail "keep: no kept archive"
rm -r "$scratch/d12/cifar-10-batches-bin"
printf 'XXXX' | dd of="$kept_archive" bs=1 seek=100 conv=notrunc status=none
before=$(requests)
run damaged-archive 0 cifar10 --data "$scratch/d12"
expect_output damaged-archive "was kept by an earlier run and fails its check: removing it and downloading again"
[[ $(requests) -gt $before && -f $scratch/d12/cifar-10-batches-bin/test_batch.bin ]] ||
  fail "damaged-archive: not downloaded again: $(cat "$scratch/damaged-archive.out")"

# 13. Two fetches of one dataset into one data root at once: the second waits for the first, then finds it
#     installed; one download, both succeed, the work folder gone.
rc_a=0 rc_b=0
"$bgm" fetch --catalog "$catalog" --quiet cifar10 --data "$scratch/d13" --url "$url/slow/cifar-10-binary.tar.gz" \
  > "$scratch/both-a.out" 2>&1 & first=$!
sleep 0.3
"$bgm" fetch --catalog "$catalog" --quiet cifar10 --data "$scratch/d13" --url "$url/slow/cifar-10-binary.tar.gz" \
  > "$scratch/both-b.out" 2>&1 || rc_b=$?
wait $first || rc_a=$?
[[ $rc_a == 0 && $rc_b == 0 ]] ||
  fail "both: exits $rc_a and $rc_b: $(cat "$scratch/both-a.out" "$scratch/both-b.out")"
expect_output both-b "waiting for another bgm fetch of it"
expect_output both-b "already present and checked"
[[ $(grep -c '^slow ' "$scratch/requests.log") == 1 ]] || fail "both: downloaded $(grep -c '^slow ' "$scratch/requests.log") times"
[[ ! -e $scratch/d13/.bgm-fetch ]] || fail "both: the work folder was left behind: $(ls -a "$scratch/d13/.bgm-fetch")"

# 14. A fetch killed once the dataset is in place but before it cleaned up (CINIC-10: before its PNGs moved beside
#     the pack): the rerun finishes the work, nothing downloaded, instead of keeping the archive and the unpacked
#     copy in .bgm-fetch for ever.
for dataset in cinic10 cifar10; do
  data=$scratch/d14-$dataset rc=0
  BGM_FAULT=fetch-installed:abort "$bgm" fetch --catalog "$catalog" --quiet $dataset --data "$data" \
    > "$scratch/killed-$dataset.out" 2>&1 || rc=$?
  [[ $rc == 137 ]] || fail "killed-$dataset: exit $rc, expected 137 (SIGKILL): $(cat "$scratch/killed-$dataset.out")"
  [[ -n $(ls -A "$data/.bgm-fetch") ]] || fail "killed-$dataset: nothing left to finish"
  before=$(requests)
  run finish-$dataset 0 $dataset --data "$data"
  expect_output finish-$dataset "already present and checked"
  expect_output finish-$dataset "removed what an earlier fetch of $dataset left in $data/.bgm-fetch"
  [[ ! -e $data/.bgm-fetch && $(requests) == "$before" ]] ||
    fail "finish-$dataset: $(requests) requests (had $before), left: $(ls -aR "$data/.bgm-fetch" 2>&1 | head)"
done
expect_output finish-cinic10 "moved the images an interrupted fetch had unpacked to $scratch/d14-cinic10/CINIC-10"
[[ -f $scratch/d14-cinic10/CINIC-10/test/truck/test-9.png ]] ||
  fail "finish-cinic10: the PNGs were not moved into place: $(ls -a "$scratch/d14-cinic10")"

# 15. The unpacked files reach the disk (syncfs) before they are renamed into place: after a power loss the
#     installed copy could otherwise hold right-sized files of zeros (cifar100 has no per-file md5s).
if strace -f -o /dev/null true 2> /dev/null; then
  strace -f -s 4096 -o "$scratch/trace" -e trace=syncfs,rename,renameat,renameat2 \
    "$bgm" fetch --catalog "$catalog" --quiet cifar100 --data "$scratch/d15" > "$scratch/synced.out" 2>&1 ||
    fail "synced: $(cat "$scratch/synced.out")"
  synced=$(awk '/syncfs\(/ { print NR; exit }' "$scratch/trace")
  renamed=$(awk '/rename.*cifar100\.unpacking/ { print NR; exit }' "$scratch/trace")
  [[ -n $synced && -n $renamed && $synced -lt $renamed ]] ||
    fail "synced: no syncfs before the rename into place: $(cat "$scratch/trace")"
else
  echo "fetch_http: section 15 skipped: strace cannot trace here"
fi
echo "fetch_http: OK"
