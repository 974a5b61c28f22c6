#!/usr/bin/env bash
# Whole jobs through the real binary: a toy job and a Fashion-MNIST subset job with Algorithm 1,
# their result JSON contract, and the rerun that skips finished work.
source "$(dirname "$0")/common.sh"

cat > "$work/toy.json" <<JSON
{"dataset": "toy-gaussians", "model": "toy-mlp", "seed": 0, "mode": "vanilla",
 "train": {"epochs": 20, "stop_accuracy": 0}, "eval": {"toy_grid": 50, "every": 1}, "output": "$work/results"}
JSON
"$bgm" run "$work/toy.json" 2> "$work/toy.log" || { cat "$work/toy.log"; fail "toy job failed"; }
toy=$(ls -d "$work"/results/runs/toy-gaussians-toy-mlp-random-vanilla-s0-*)
r="$toy/result.json"
[[ $(json_get "$r" 'r["status"], r["kind"], r["schema"]') == "complete train bgm-result/1" ]] || fail "toy envelope"
[[ $(json_get "$r" 'len(r["curve"])') == 21 ]] || fail "toy curve should have epochs 0..20"
[[ $(json_get "$r" 'r["final"]["test_acc"] > 90') == True ]] || fail "toy test accuracy"
[[ $(json_get "$r" 'r["metrics"]["toy"]["grid_size"]') == 50 ]] || fail "toy grid"
[[ $(json_get "$r" 'r["final"]["step_kernel"]') == lean-mlp-cpu ]] || fail "the toy on one CPU rank takes the lean step"
[[ $(wc -l < "$toy/toy_grid.csv") -ge 2500 ]] || fail "toy grid csv"
[[ -f $toy/final.pt && -f $toy/w0r.pt && ! -f $toy/checkpoint.pt ]] || fail "toy checkpoints"
grep -q "epoch    20/20" "$work/toy.log" || fail "progress lines"
"$bgm" run "$work/toy.json" 2> "$work/rerun.log"
grep -q "already complete" "$work/rerun.log" || fail "rerun did not skip"

cat > "$work/fm.json" <<JSON
{"dataset": {"name": "fashion-mnist", "train_subset": 200, "test_subset": 500}, "model": {"name": "mlp", "width": 64},
 "seed": 1, "mode": "sota", "train": {"lr": 0.01, "batch_size": 32, "epochs": 3},
 "init": {"kind": "adversarial", "R": 3, "lr": 0.05, "batch_size": 64, "epochs": 4, "stop_accuracy": 100},
 "eval": {"fgsm_eps": [0, 0.05]}, "output": "$work/results"}
JSON
"$bgm" run "$work/fm.json" 2> "$work/fm.log" || { cat "$work/fm.log"; fail "fashion-mnist job failed"; }
fm=$(ls -d "$work"/results/runs/fashion-mnist-mlp64-adversarial-sota-s1-*)
r="$fm/result.json"
[[ $(json_get "$r" 'r["job"]["init"]["R"], r["job"]["train"]["augment"], r["hardware"]["device"]') == "3 True cpu" ]] ||
  fail "resolved job recorded"
[[ $(json_get "$r" 'r["init"]["pretraining"]["set_size"]') == 600 ]] || fail "|C| = n R"
[[ $(json_get "$r" 'r["final"]["step_kernel"]') == libtorch ]] || fail "784-pixel inputs go through LibTorch"
[[ $(json_get "$r" 'sorted(r["metrics"]["distance"].keys())') == "['init_final', 'w0r_final', 'w0r_w0a']" ]] || fail "distances"
[[ $(json_get "$r" 'r["metrics"]["fgsm"]["accuracy"][0] == r["final"]["test_acc"]') == True ]] || fail "fgsm eps 0 = clean"
adv=$(json_get "$r" 'r["init"]["adversarial_result"]')
[[ $(json_get "$adv" 'r["kind"], r["final"]["epochs"] <= 4') == "adversarial-init True" ]] || fail "adversarial-init result"
# A second job with the same Algorithm-1 settings reuses W0A.
sed 's/"mode": "sota"/"mode": "vanilla"/' "$work/fm.json" > "$work/fm2.json"
"$bgm" run "$work/fm2.json" 2> "$work/fm2.log" || { cat "$work/fm2.log"; fail "second job failed"; }
grep -q "reusing" "$work/fm2.log" || fail "adversarial init not reused"
echo "end_to_end: ok"
