#!/usr/bin/env python3
"""Turns run-bench-packing.sh's rows into OUT/packing.md and OUT/calibration.json (the best K per model and
precision is what `bgm list --calibration` uses).
usage: packing_report.py ROWS.tsv OUT GPU_NAME DATASET SUBSET EPOCHS"""
import json
import os
import sys

rows_path, out, gpu, dataset, subset, epochs = sys.argv[1:7]
rows = []
with open(rows_path) as f:
    for line in f:
        model, precision, k, mps, seconds, rate = line.rstrip("\n").split("\t")
        rows.append(dict(model=model, precision=precision, k=int(k), mps=mps, seconds=float(seconds),
                         rate=None if rate == "FAIL" else float(rate)))

authors = None
authors_path = os.path.join(out, "resnet18-fp32.authors.json")
if os.path.exists(authors_path):
    with open(authors_path) as f:
        authors = json.load(f)["train"]["images_per_s"]

lines = ["Whole short jobs per device with `bgm sweep --jobs-per-gpu K` on %s: %s, %s training images a job, %s "
         "epoch(s), batch 128, vanilla SGD; aggregate training images/s = K x images / wall seconds of the sweep "
         "(start-up and evaluation included)." % (gpu, dataset, subset, epochs), "",
         "| model | precision | K | MPS | wall s | images/s per device | vs K = 1 | vs authors' loop (fp32, 1 job) |",
         "|---|---|---:|---|---:|---:|---:|---:|"]
for r in rows:
    if r["rate"] is None:  # the sweep failed: its log is beside rows.tsv
        lines.append("| %s | %s | %d | %s | %.1f | FAIL | - | - |" % (r["model"], r["precision"], r["k"], r["mps"],
                                                                    r["seconds"]))
        continue
    base = next((b["rate"] for b in rows if b["model"] == r["model"] and b["precision"] == r["precision"]
                 and b["k"] == 1 and b["mps"] == "off"), None)
    vs_one = "%.2fx" % (r["rate"] / base) if base else "-"
    vs_authors = "%.2fx" % (r["rate"] / authors) if authors and r["model"] == "resnet18" else "-"
    lines.append("| %s | %s | %d | %s | %.1f | %.0f | %s | %s |" % (r["model"], r["precision"], r["k"], r["mps"],
                                                                    r["seconds"], r["rate"], vs_one, vs_authors))
with open(os.path.join(out, "packing.md"), "w") as f:
    f.write("\n".join(lines) + "\n")

entries = []
measured = [r for r in rows if r["rate"] is not None]
for key in sorted({(r["model"], r["precision"]) for r in measured}):
    best = max((r for r in measured if (r["model"], r["precision"]) == key), key=lambda r: r["rate"])
    entries.append({"model": key[0], "precision": key[1], "jobs_per_gpu": best["k"], "images_per_s": best["rate"],
                    "note": "MPS %s, %.1f s for %d jobs" % (best["mps"], best["seconds"], best["k"])})
with open(os.path.join(out, "calibration.json"), "w") as f:
    json.dump({"schema": "bgm-calibration/1", "gpu": gpu,
               "source": "benchmarks/run-bench-packing.sh (whole jobs, bgm sweep --jobs-per-gpu K)",
               "entries": entries}, f, indent=1)
    f.write("\n")
