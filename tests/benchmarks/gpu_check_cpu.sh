#!/usr/bin/env bash
# `make gpu-check`'s script in its CPU smoke mode (DEVICE=cpu QUICK=1): every check runs, or is skipped with its
# reason where it needs CUDA; the table has one row per check; the result checker catches a broken result; and where
# bgm sees no CUDA device, DEVICE=cuda exits 2 with a reason.
set -euo pipefail
bgm=${1:?usage: $0 BGM_BINARY SOURCE_DIR}
src=${2:?usage: $0 BGM_BINARY SOURCE_DIR}
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bgm-gpu-check-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=$work/out

DEVICE=cpu QUICK=1 PYTHON=$py bash "$src/benchmarks/gpu-check.sh" "$bgm" "$out" >"$work/stdout" 2>"$work/stderr" ||
  { cat "$work/stdout"; tail -20 "$work/stderr"; fail "gpu-check.sh (DEVICE=cpu QUICK=1) failed"; }
cat "$work/stdout"
for want in "model | mlp | ok" "model | resnet18 | ok" "resume | mlp | ok" "reuse | mlp | ok" \
            "bf16 | resnet18 | skipped" "nccl | resnet18 | skipped"; do
  grep -q "^| $want | " "$out/table.md" || fail "table.md has no row '| $want |'"
done
[[ $(grep -cE '^\| (model|resume|reuse|bf16|nccl) \| ' "$out/table.md") == 6 ]] || fail "table.md should have 6 rows"
grep -q "identical to the undisturbed run" "$out/table.md" || fail "the resume row should say the results are identical"
for f in model-mlp model-mlp.adversarial-init model-resnet18 model-resnet18.adversarial-init resume-mlp reuse-mlp; do
  [[ -s $out/results/$f.json ]] || fail "missing $out/results/$f.json"
done
[[ -z $(find "$out" -name '*.pt') ]] || fail "weights were left in OUT_DIR"

# The checker flags what it is there to flag.
report=$src/benchmarks/gpu_check_report.py
"$py" "$report" check "$out/results/model-mlp.json" --device cpu --adversarial >/dev/null ||
  fail "the checker rejects a good result"
broken() {  # broken PYTHON_EXPR EXPECTED_WORD: the result, changed by EXPR, must fail the check naming EXPECTED_WORD
  "$py" -c 'import json,sys; r=json.load(open(sys.argv[1])); exec(sys.argv[2]); json.dump(r, open(sys.argv[3], "w"))' \
    "$out/results/model-mlp.json" "$1" "$work/broken.json"
  local said status=0
  said=$("$py" "$report" check "$work/broken.json" --device cpu) || status=$?
  [[ $status == 1 && $said == *"$2"* ]] || fail "a result with $1 passed the check (status $status: $said)"
}
broken 'r["final"]["test_acc"] = 150.0' test_acc
broken 'r["curve"][-1]["train_loss"] = None' train_loss
broken 'r["metrics"]["norms"]["final"]["frobenius"] = None' frobenius
broken 'r["metrics"]["distance"]["w0r_final"]["params"] = None' w0r_final
broken 'r["metrics"]["fgsm"]["accuracy"] = r["metrics"]["fgsm"]["accuracy"][:2]' fgsm
broken 'r["schema"] = "bgm-result/0"' schema
broken 'r["status"] = "running"' status
broken 'r["hardware"]["device"] = "cuda:0"' cuda

# Without CUDA, the GPU run refuses at once with a reason.
if ! "$bgm" version --json | "$py" -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["cuda_available"] else 1)'; then
  status=0
  DEVICE=cuda PYTHON=$py bash "$src/benchmarks/gpu-check.sh" "$bgm" "$work/gpu" 2>"$work/gpu.err" >/dev/null || status=$?
  if [[ $status != 2 ]] || ! grep -q "CUDA device" "$work/gpu.err"; then
    cat "$work/gpu.err"
    fail "gpu-check.sh DEVICE=cuda without CUDA: expected exit 2 and a reason, got $status"
  fi
fi
echo "gpu_check_cpu: ok"
