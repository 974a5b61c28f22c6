# Sourced by the benchmark harness tests: usage checks, Debian's python3 with torch (else skip, 77), a scratch
# folder removed on exit, and a fingerprint of benchmarks/README.md that a short run must leave alone.
# Sets: bgm, src, py, work, readme_before; defines fail.
bgm=${1:?usage: $0 BGM_BINARY SOURCE_DIR}
src=${2:?usage: $0 BGM_BINARY SOURCE_DIR}
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
"$py" -c 'import torch, numpy' 2>/dev/null || { echo "skip: $py lacks torch or numpy (make deps installs them)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bgm-bench-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
readme_before=$(sha256sum "$src/benchmarks/README.md")
