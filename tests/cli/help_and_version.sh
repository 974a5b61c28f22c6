#!/usr/bin/env bash
# Every command answers --help / -h / `bgm help CMD` with the same text (usage, flags, an example) and exit 0;
# an unknown flag exits 2 with the command's usage line; --version names LibTorch, MPI, NCCL and the BLAS.
# usage: help_and_version.sh BGM BGM_AGGREGATE
set -euo pipefail
bgm=$1 aggregate=$2
fail() { echo "help_and_version: FAIL: $*" >&2; exit 1; }
commands=$("$bgm" help | sed -n 's/^  bgm \([a-z-]*\) .*/\1/p')
[[ $(wc -w <<< "$commands") -ge 7 ]] || fail "bgm help lists too few commands: $commands"
for c in $commands; do
  text=$("$bgm" "$c" --help) || fail "bgm $c --help exited $?"
  grep -q "^usage: bgm $c " <<< "$text" || fail "bgm $c --help does not name the command: $text"
  grep -q "^example: " <<< "$text" || fail "bgm $c --help shows no example"
  [[ $("$bgm" "$c" -h) == "$text" && $("$bgm" help "$c") == "$text" ]] || fail "bgm $c: -h / bgm help $c differ from --help"
  status=0
  err=$("$bgm" "$c" --no-such-flag 2>&1) || status=$?
  [[ $status -eq 2 ]] || fail "bgm $c --no-such-flag exited $status, expected 2"
  grep -q "unknown flag --no-such-flag" <<< "$err" && grep -q "^usage: bgm $c " <<< "$err" ||
    fail "bgm $c --no-such-flag: no error naming the flag and usage line: $err"
done
version=$("$bgm" --version) || fail "bgm --version exited $?"
[[ $("$bgm" version) == "$version" ]] || fail "bgm version differs from bgm --version"
for fact in "^bgm [0-9]" "libtorch: [0-9]" "mpi: " "nccl: " "blas: " "cudnn: "; do
  grep -q "$fact" <<< "$version" || fail "bgm --version lacks '$fact': $version"
done
"$aggregate" --help | grep -q "usage: bgm-aggregate" || fail "bgm-aggregate --help"
echo "help_and_version: PASS ($(wc -w <<< "$commands") commands)"
