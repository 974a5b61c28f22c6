# Shared by the train.* shell tests: a scratch folder, JSON field reads and assertions.
set -euo pipefail
bgm=${1:?usage: TEST.sh BGM_BINARY SOURCE_DIR}
src=${2:?usage: TEST.sh BGM_BINARY SOURCE_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/bgm-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
# json_get FILE EXPR: evaluates a Python expression over the document `r`.
json_get() { "$py" -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }
