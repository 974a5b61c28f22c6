#!/usr/bin/env bash
# `make bench-gpu`: the GPU side of the benchmarks. Runs `bgm bench` and the authors' loop
# (benchmarks/authors_loop.py, with the same machine's CUDA torch) on ResNet18 / CIFAR-10-shaped training with
# crop/flip at fp32, tf32 and bf16, and writes the side-by-side table (ratios, achieved TFLOP/s and the fraction
# of the GPU's datasheet peak) to OUT_DIR/table.md.
# Usage: bash benchmarks/run-bench-gpu.sh BGM_BINARY [OUT_DIR]   (env: PYTHON, default python3, must have a CUDA
# torch; QUICK=1 for a short smoke run)
set -euo pipefail

BGM=${1:?usage: run-bench-gpu.sh BGM_BINARY [OUT_DIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/results-gpu}
PYTHON=${PYTHON:-python3}
QUICK=${QUICK:-0}
mkdir -p "$OUT"
[ -x "$BGM" ] || { echo "run-bench-gpu.sh: $BGM is not an executable (build it against a CUDA LibTorch first)" >&2; exit 2; }
"$PYTHON" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null ||
  { echo "run-bench-gpu.sh: $PYTHON has no torch that sees a CUDA device" >&2; exit 2; }

scale() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }
RN="--model resnet18 --dataset cifar10 --batch 128 --augment"

# name | bgm flags | authors_loop.py flags
CONFIGS=(
  "resnet18-fp32|$RN --precision fp32 --steps $(scale 300 20) --warmup 30|$RN --precision fp32 --steps $(scale 200 20) --warmup 20 --count-flops --cudnn-benchmark"
  "resnet18-tf32|$RN --precision tf32 --steps $(scale 300 20) --warmup 30|$RN --precision tf32 --steps $(scale 200 20) --warmup 20 --cudnn-benchmark"
  "resnet18-bf16|$RN --precision bf16 --steps $(scale 300 20) --warmup 30|$RN --precision bf16 --steps $(scale 200 20) --warmup 20 --cudnn-benchmark"
  "resnet18-bf16-cl|$RN --precision bf16 --channels-last --steps $(scale 300 20) --warmup 30|"
  "mlp-fmnist|--model mlp --dataset fashion-mnist --batch 128 --steps $(scale 2000 100) --warmup 100|--model mlp --dataset fashion-mnist --batch 128 --steps $(scale 1000 100) --warmup 50"
)

BGM_EXTRA="--device cuda" AUTHORS_EXTRA="--device cuda --workers 4"
# shellcheck source=benchmarks/run-pairs.sh
source "$HERE/run-pairs.sh"
run_pairs

"$PYTHON" - "$OUT" >"$OUT/table.md" <<'EOF'
import json, os, sys
out = sys.argv[1]
def load(name, side):
    path = os.path.join(out, f"{name}.{side}.json")
    return json.load(open(path)) if os.path.exists(path) else None
# Dense datasheet peaks of an SXM H100/H200 (the same chip's arithmetic): fp32 without tensor cores, TF32 and
# BF16 tensor cores. bgm's fp32 runs no TF32, so fp32 is held to the CUDA-core peak.
PEAK = {"fp32": 67e12, "tf32": 495e12, "bf16": 989e12}
flops = load("resnet18-fp32", "authors")["train"]["flops_per_image"]
rows = [("resnet18-fp32", "fp32", "fp32"), ("resnet18-tf32", "tf32", "tf32"), ("resnet18-bf16", "bf16", "bf16"),
        ("resnet18-bf16-cl", "bf16 + channels_last", "bf16")]
base = load("resnet18-fp32", "authors")["train"]["images_per_s"]
print("ResNet18, CIFAR-10-shaped (synthetic), crop/flip, batch 128, SGD momentum 0.9 wd 5e-4, cuDNN autotuning on "
      "both sides: training images/s.")
print()
speed, phases = [], []
for name, label, prec in rows:
    b = load(name, "bgm")
    a = load(name, "authors") or load(name.replace("-cl", ""), "authors")
    bi, ai = b["train"]["images_per_s"], a["train"]["images_per_s"]
    tflops = bi * flops / 1e12
    speed.append(f"| {label} | {bi:,.0f} | {ai:,.0f} | **{bi / ai:.2f}x** | **{bi / base:.2f}x** | {tflops:.1f} | "
                 f"{100 * tflops * 1e12 / PEAK[prec]:.0f}% of {PEAK[prec] / 1e12:.0f} |")
    k = b["breakdown"]
    phases.append(f"| {label} | {k['data_ms']:.2f} | {k['forward_backward_ms']:.2f} | {k['optimizer_ms']:.2f} | "
                  f"{b['eval']['images_per_s']:,.0f} | {a['eval']['images_per_s']:,.0f} |")
print("| precision | bgm | authors' loop, same precision | ratio | ratio to the authors' fp32 | bgm TFLOP/s | of peak |")
print("|---|---:|---:|---:|---:|---:|---:|")
print("\n".join(speed))
print()
print("| precision | bgm ms/step: data | fwd+bwd | optimizer | bgm eval images/s | authors' eval images/s |")
print("|---|---:|---:|---:|---:|---:|")
print("\n".join(phases))
m_b, m_a = load("mlp-fmnist", "bgm"), load("mlp-fmnist", "authors")
print()
print(f"MLP 784-256-256-10, Fashion-MNIST ({m_b['data'].split(' (')[0]} data for bgm), batch 128, fp32: bgm "
      f"{m_b['train']['images_per_s']:,.0f} images/s, authors' loop {m_a['train']['images_per_s']:,.0f} images/s: "
      f"**{m_b['train']['images_per_s'] / m_a['train']['images_per_s']:.2f}x**.")
print()
fp = load("resnet18-fp32", "bgm")
print(f"Device: {load('resnet18-fp32', 'authors').get('device_name', fp['device'])}; bgm: LibTorch {fp['torch_version']}; "
      f"authors' loop: torch {load('resnet18-fp32', 'authors')['torch_version']}, DataLoader with 4 workers. "
      f"Training FLOPs per image (torch FlopCounterMode, convolutions and matmuls): {flops / 1e9:.2f} GFLOP. "
      f"Peaks are datasheet dense rates (fp32 on CUDA cores; TF32/BF16 on tensor cores).")
EOF
cat "$OUT/table.md"
