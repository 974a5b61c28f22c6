#!/usr/bin/env bash
# The README's "any job of yours" lines, verbatim but with fewer kills: a manifest job printed with --print-job,
# then the fault harness's `job` kind on that file.
# usage: job_file.sh BGM SOURCE_DIR WORK_DIR
set -euo pipefail
bgm=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# The smoke manifest's preemptible job: the demo's would take minutes per run.
"$bgm" run --manifest "$source/jobs/smoke.json" --index 4 --print-job > demo0.json
exec /usr/bin/python3 "$source/tests/faults/fault_harness.py" "$bgm" job --job demo0.json --kills 3 --work "$work/harness"
