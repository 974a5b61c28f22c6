# shellcheck shell=bash
# Sourced by run-bench.sh and run-bench-gpu.sh: runs each "name|bgm flags|authors_loop.py flags" entry of CONFIGS,
# bgm first, then the authors' loop (skipped where its flags are empty), each writing OUT/name.{bgm,authors}.json.
# Needs BGM, PYTHON, HERE, OUT; BGM_EXTRA and AUTHORS_EXTRA are appended to every run of each side.
run_pairs() {
  local entry name bgm_flags py_flags
  for entry in "${CONFIGS[@]}"; do
    IFS='|' read -r name bgm_flags py_flags <<<"$entry"
    echo "== $name: bgm bench $bgm_flags" >&2
    # shellcheck disable=SC2086  # the flags are word lists
    "$BGM" bench $bgm_flags $BGM_EXTRA --json "$OUT/$name.bgm.json" >&2
    [ -n "$py_flags" ] || continue
    echo "== $name: authors_loop.py $py_flags" >&2
    # shellcheck disable=SC2086
    "$PYTHON" "$HERE/authors_loop.py" $py_flags $AUTHORS_EXTRA --json "$OUT/$name.authors.json" >/dev/null
  done
}
