#!/usr/bin/env bash
# `make bench`: runs `bgm bench` and the authors' loop (benchmarks/authors_loop.py) on the same CPU configs and
# writes the side-by-side table (ratios) into benchmarks/README.md between the bench-table markers.
# Usage: bash benchmarks/run-bench.sh BGM_BINARY [OUT_DIR]   (env: PYTHON, default /usr/bin/python3; QUICK=1 for
# a short smoke run that does not touch the README)
set -euo pipefail

BGM=${1:?usage: run-bench.sh BGM_BINARY [OUT_DIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/results}
PYTHON=${PYTHON:-/usr/bin/python3}
QUICK=${QUICK:-0}
mkdir -p "$OUT"
[ -x "$BGM" ] || { echo "run-bench.sh: $BGM is not an executable (build it first: make build)" >&2; exit 2; }
"$PYTHON" -c 'import torch' 2>/dev/null || { echo "run-bench.sh: $PYTHON has no torch (apt-get install python3-torch)" >&2; exit 2; }

# One intra-op thread on both sides, and OpenBLAS kept to one thread too (faster on this 2-vCPU machine).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
# The OpenBLAS kernels bgm runs (it replaces a generic Prescott fallback, src/train/blas_kernel.h) for the
# authors' side too, so that both multiply matrices with the same code.
core=$("$BGM" version --json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["blas"].split(" MAX_THREADS")[0].split()[-1])')
[[ $("$BGM" version --json) == *OpenBLAS* ]] && export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-$core}

scale() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# name | bgm flags | authors_loop.py flags
CONFIGS=(
  "mlp-fmnist|--model mlp --dataset fashion-mnist --batch 128 --steps $(scale 400 40) --warmup 20|--model mlp --dataset fashion-mnist --batch 128 --steps $(scale 400 40) --warmup 20"
  "mlp-fmnist-da|--model mlp --dataset fashion-mnist --batch 128 --augment --steps $(scale 400 40) --warmup 20|--model mlp --dataset fashion-mnist --batch 128 --augment --steps $(scale 400 40) --warmup 20"
  "toy|--model toy-mlp --dataset toy-gaussians --batch 10 --steps $(scale 20000 2000) --warmup 1000 --stage-epochs $(scale 1000 100)|--model toy-mlp --dataset toy-gaussians --batch 10 --steps $(scale 3000 300) --warmup 100"
  "resnet18-cifar10-da|--model resnet18 --dataset cifar10 --batch 128 --augment --steps $(scale 4 1) --warmup 1 --eval-images 256 --eval-batch 128|--model resnet18 --dataset cifar10 --batch 128 --augment --steps $(scale 4 1) --warmup 1 --eval-images 256 --eval-batch 128"
)

BGM_EXTRA="--threads 1 --device cpu" AUTHORS_EXTRA="--threads 1"
# shellcheck source=benchmarks/run-pairs.sh
source "$HERE/run-pairs.sh"
run_pairs

TABLE="$OUT/table.md"
"$PYTHON" - "$OUT" "$BGM" >"$TABLE" <<'EOF'
import json, os, platform, subprocess, sys
out, bgm = sys.argv[1], sys.argv[2]
def load(name, side):
    with open(os.path.join(out, f"{name}.{side}.json")) as f:
        return json.load(f)
rows = [  # (config, label, metric path, unit, target)
    ("mlp-fmnist", "MLP 784-256-256-10, Fashion-MNIST, batch 128: train", ("train", "images_per_s"), "images/s", ">= 1.5x"),
    ("mlp-fmnist", "MLP, Fashion-MNIST: evaluation", ("eval", "images_per_s"), "images/s", ""),
    ("mlp-fmnist-da", "MLP, Fashion-MNIST + crop/flip, batch 128: train", ("train", "images_per_s"), "images/s", ">= 1.5x"),
    ("toy", "toy 2-100-100, random labels, batch 10: steps only", ("train", "steps_per_s"), "steps/s", ">= 10x"),
    ("toy", "toy: whole stage (steps + per-epoch evaluation)", ("stage", "steps_per_s"), "steps/s", ">= 10x"),
    ("resnet18-cifar10-da", "ResNet18, CIFAR-10-shaped + crop/flip, batch 128: train", ("train", "images_per_s"), "images/s", ""),
    ("resnet18-cifar10-da", "ResNet18, CIFAR-10-shaped: evaluation", ("eval", "images_per_s"), "images/s", ""),
]
print("| config | bgm | authors' loop | ratio | target |")
print("|---|---:|---:|---:|---|")
for name, label, (section, key), unit, target in rows:
    b, a = load(name, "bgm")[section][key], load(name, "authors")[section][key]
    print(f"| {label} | {b:,.1f} {unit} | {a:,.1f} {unit} | **{b / a:.2f}x** | {target} |")
print()
fmnist = load("mlp-fmnist", "bgm")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print(f"Machine: {cpu}, {os.cpu_count()} vCPUs, {platform.system()} {platform.release()}; "
      f"bgm: LibTorch {fmnist['torch_version']}, {fmnist['threads']} thread; authors' loop: torch "
      f"{load('mlp-fmnist', 'authors')['torch_version']} (/usr/bin/python3), DataLoader with 4 workers (batch 10 toy: 0). "
      f"Fashion-MNIST for bgm: {fmnist['data'].split(' (')[0]} data; everything else synthetic of the same shape.")
EOF
cat "$TABLE"

if [ "$QUICK" != 1 ]; then
  README="$HERE/README.md"
  {
    echo "Command: \`make bench\` (= \`bash benchmarks/run-bench.sh $BGM\`), run $(date -u +%Y-%m-%dT%H:%MZ)."
    echo
    cat "$TABLE"
  } >"$OUT/section.md"
  "$PYTHON" - "$README" "$OUT/section.md" <<'EOF'
import sys
readme, section = sys.argv[1], open(sys.argv[2]).read()
begin, end = "<!-- bench-table:begin -->", "<!-- bench-table:end -->"
text = open(readme).read()
if begin not in text or end not in text:
    sys.exit(f"run-bench.sh: {readme} lacks the {begin} / {end} markers")
head, rest = text.split(begin, 1)
tail = rest.split(end, 1)[1]
open(readme, "w").write(head + begin + "\n" + section + end + tail)
EOF
  echo "run-bench.sh: table written to $README" >&2
fi
