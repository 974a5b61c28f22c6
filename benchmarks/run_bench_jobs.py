#!/usr/bin/env python3
"""`make bench-jobs`: every job of a manifest (default benchmarks/bench-jobs.json) run whole, once by bgm and once
by benchmarks/authors_job.py, each process on one thread; per stage the epochs, seconds per epoch and the
ratio, bgm's own breakdown of its stage time, and the whole totals. Writes OUT/table.md and OUT/runs.json and,
unless --quick, the table into benchmarks/README.md between the bench-jobs markers; the runs' files stay in OUT/work.
usage: run_bench_jobs.py BGM [--manifest M] [--out DIR] [--quick]   (--quick: the first job of each part only)
"""
import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
BEGIN, END = "<!-- bench-jobs-table:begin -->", "<!-- bench-jobs-table:end -->"


def run(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"run_bench_jobs: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout, time.perf_counter() - start


def stage_name(job, kind):
    """(dataset, stage) of a job (or of an adversarial-init result's identity, which names its dataset)."""
    dataset = job["dataset"]["name"] if isinstance(job["dataset"], dict) else job["dataset"]
    if kind == "adversarial-init":
        return dataset, "Algorithm 1 (adversarial init)"
    return dataset, f"{job['mode']} from {job['init']['kind']} init"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("bgm")
    p.add_argument("--manifest", default=os.path.join(HERE, "bench-jobs.json"))
    p.add_argument("--out", default=os.path.join(HERE, "results-jobs"))
    p.add_argument("--python", default="/usr/bin/python3")
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    bgm = os.path.abspath(args.bgm)
    # Both sides on the OpenBLAS kernels bgm runs (it replaces a generic Prescott fallback: src/train/blas_kernel.h).
    blas = json.loads(run([bgm, "version", "--json"])[0])["blas"]
    if blas.startswith("OpenBLAS") and "OPENBLAS_CORETYPE" not in ENV:
        ENV["OPENBLAS_CORETYPE"] = blas.split(" MAX_THREADS")[0].split()[-1]
    # The runs' own files (results, weights) go under OUT/work, which git ignores; OUT keeps the table and runs.json.
    work = os.path.join(args.out, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "authors"))
    bgm_out = os.path.join(work, "bgm")
    count = int(run([bgm, "list", args.manifest, "--stage", "train", "--count"])[0])
    jobs = [json.loads(run([bgm, "run", "--manifest", args.manifest, "--index", str(i), "--print-job"])[0])
            for i in range(count)]
    if args.quick:  # per dataset: its first adversarial job (both stages), else its first job
        firsts = {}
        for i, job in enumerate(jobs):
            name = job["dataset"]["name"]
            if name not in firsts or (job["init"]["kind"] == "adversarial" and jobs[firsts[name]]["init"]["kind"] != "adversarial"):
                firsts[name] = i
        picked = sorted(firsts.values())
    else:
        picked = list(range(count))

    stages = {}  # (part, stage) -> {"bgm": [seconds, epochs, breakdown], "authors": [seconds, epochs]}
    totals = {"bgm": 0.0, "authors": 0.0}

    def add(side, job, kind, seconds, epochs, breakdown=None):
        entry = stages.setdefault(stage_name(job, kind), {}).setdefault(side, [0.0, 0, {}])
        entry[0] += seconds
        entry[1] += epochs
        for k, v in (breakdown or {}).items():
            entry[2][k] = entry[2].get(k, 0.0) + v

    # bgm: the manifest's jobs, each in its own process; an adversarial init runs inside the first job needing it.
    for i in picked:
        _, wall = run([bgm, "run", "--manifest", args.manifest, "--index", str(i), "--output", bgm_out, "--quiet"])
        totals["bgm"] += wall
    for root, _, files in os.walk(bgm_out):
        if "result.json" in files:
            r = json.load(open(os.path.join(root, "result.json")))
            add("bgm", r["job"], r["kind"], r["timing"]["train_seconds"], r["final"]["epochs"], r["timing"].get("stage"))

    # The authors' structure: the pretraining once per (dataset, model, seed, init settings), then each job.
    for i in picked:
        job = jobs[i]
        path = os.path.join(work, "authors", f"job{i}.json")
        json.dump(job, open(path, "w"))
        key = hashlib.sha1(json.dumps([job["dataset"], job["model"], job["seed"], job["init"]], sort_keys=True).encode()).hexdigest()[:12]
        w0a = os.path.join(work, "authors", f"w0a-{key}.pt")
        script = os.path.join(HERE, "authors_job.py")
        if job["init"]["kind"] == "adversarial" and not os.path.exists(w0a):
            out, wall = run([args.python, script, path, "--stage", "init", "--w0a", w0a])
            r = json.loads(out)
            totals["authors"] += wall
            add("authors", job, "adversarial-init", r["seconds"] - r["setup"], r["epochs"])
        out, wall = run([args.python, script, path, "--stage", "train", "--w0a", w0a])
        r = json.loads(out)
        totals["authors"] += wall
        add("authors", job, "train", r["seconds"] - r["setup"], r["epochs"])

    lines = ["| dataset | stage | epochs | bgm s/epoch | authors s/epoch | bgm speed-up | bgm: steps / curve points / stop checks / checkpoints / other (s) |",
             "|---|---|---:|---:|---:|---:|---|"]
    for (part, stage), sides in sorted(stages.items()):
        b, a = sides.get("bgm"), sides.get("authors")
        if not b or not a:
            continue
        bs, as_ = b[0] / max(1, b[1]), a[0] / max(1, a[1])
        parts = " / ".join(f"{b[2].get(k, 0):.2f}" for k in ("steps", "curve_points", "stop_checks", "checkpoints", "other"))
        lines.append(f"| {part} | {stage} | {b[1]} | {bs * 1000:.2f} ms | {as_ * 1000:.2f} ms | {as_ / bs:.2f}x | {parts} |")
    lines.append(f"| all | whole processes (start-up included) | | {totals['bgm']:.1f} s | {totals['authors']:.1f} s | "
                 f"{totals['authors'] / totals['bgm']:.2f}x | |")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    version = json.loads(run([bgm, "version", "--json"])[0])
    note = (f"\n{len(picked)} jobs of `{os.path.relpath(args.manifest, os.path.dirname(HERE))}`, {cpu}, one thread each "
            f"(OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE={ENV.get('OPENBLAS_CORETYPE', 'detected')}), bgm {version.get('bgm')} ({version.get('git_commit')}), "
            f"{time.strftime('%Y-%m-%d')}. Command: `make bench-jobs`.\n")
    table = "\n".join(lines) + "\n" + note
    open(os.path.join(args.out, "table.md"), "w").write(table)
    json.dump({"stages": {f"{k[0]}/{k[1]}": v for k, v in stages.items()}, "totals": totals},
              open(os.path.join(args.out, "runs.json"), "w"), indent=1)
    print(table)
    if not args.quick:
        readme = os.path.join(HERE, "README.md")
        text = open(readme).read()
        if BEGIN in text and END in text:
            text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: f"{BEGIN}\n{table}{END}", text, flags=re.S)
            open(readme, "w").write(text)


if __name__ == "__main__":
    main()
