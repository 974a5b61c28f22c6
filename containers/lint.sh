#!/usr/bin/env bash
# Lints the container files: Dockerfiles with dockerfilelint and dockerfile-utils (npm, installed once
# outside the repo), shell scripts and the shell bodies of bgm.def with shellcheck. Exit 1 on any finding.
# Env: BGM_LINT_TOOLS (where the npm linters go, default ~/.cache/bgm-lint).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools=${BGM_LINT_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/bgm-lint}
bin=$tools/node_modules/.bin
failed=0
finding() {
  echo "lint: $*" >&2
  failed=1
}

if [[ ! -x $bin/dockerfilelint || ! -x $bin/dockerfile-utils ]]; then
  command -v npm >/dev/null || {
    echo "lint: npm is needed for the Dockerfile linters (apt-get install npm)" >&2
    exit 2
  }
  npm install --no-audit --no-fund --prefix "$tools" dockerfilelint@1.8.0 dockerfile-utils@0.16.3 >/dev/null
fi
command -v shellcheck >/dev/null || {
  echo "lint: shellcheck is needed (apt-get install shellcheck)" >&2
  exit 2
}

dockerfiles=("$here"/Dockerfile.cpu "$here"/Dockerfile.cuda)
report=$(mktemp)
trap 'rm -f "$report"' EXIT
for f in "${dockerfiles[@]}"; do
  name=${f#"$here"/}
  # dockerfilelint exits with the number of issues; its settings are in containers/.dockerfilelintrc.
  "$bin/dockerfilelint" -c "$here" "$f" >"$report" 2>&1 || {
    cat "$report"
    finding "dockerfilelint: $name"
  }
  "$bin/dockerfile-utils" lint "$f" || finding "dockerfile-utils: $name"
  # What dockerfilelint's missing_tag rule cannot see through `FROM ${BASE}`: the default is pinned.
  grep -Eq '^ARG BASE=[^[:space:]]+:[^[:space:]]+$' "$f" || finding "$name: ARG BASE must default to an image with a tag"
done

shellcheck "$here"/*.sh || finding "shellcheck: containers/*.sh"

# bgm.def: no linter exists for definition files, so check its shape and shellcheck its script sections.
def=$here/bgm.def
first=$(grep -Ev '^[[:space:]]*(#|$)' "$def" | head -n 1)
[[ $first == Bootstrap:* ]] || finding "bgm.def: the first line after comments must be 'Bootstrap: ...', got '$first'"
grep -Eq '^From: [^[:space:]]+$' "$def" || finding "bgm.def: needs a 'From: IMAGE' header line"
for section in %runscript %test %help %environment; do
  grep -q "^$section\$" "$def" || finding "bgm.def: section $section is missing"
done
for section in environment runscript test; do
  body=$(awk -v s="%$section" '/^%/ {on = ($1 == s); next} on' "$def")
  printf '#!/bin/sh\n%s\n' "$body" | shellcheck -s sh - || finding "shellcheck: bgm.def %$section"
done

if ((failed)); then exit 1; fi
echo "lint: containers/ clean (2 Dockerfiles, $(find "$here" -maxdepth 1 -name '*.sh' | wc -l) scripts, bgm.def)"
