#!/usr/bin/env python3
"""A stage resumed under other runtime settings continues the run it resumes (README "Preemption, crashes and
reruns"): settings outside the job id (lean_step, eval.batch_size) and, for a shared adversarial init, another
job's eval.every / toy_grid, are taken from the checkpoint, so the results equal an undisturbed run byte for byte;
a resume on other hardware (here: another thread count) is recorded under final.machine_changes.
usage: resume_settings.py BGM WORKDIR"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness_lib import BLAS_ENV, comparable, fail, results  # noqa: E402

BGM, WORK = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, **BLAS_ENV)
INIT = {"kind": "adversarial", "lr": 0.03, "batch_size": 10, "epochs": 1500, "stop_accuracy": 0}
BASE = {"dataset": {"name": "toy-gaussians", "toy_points_per_class": 30, "toy_test_points_per_class": 100},
        "model": {"name": "toy-mlp", "width": 32}, "seed": 3, "mode": "vanilla", "init": INIT,
        "train": {"lr": 0.03, "batch_size": 10, "epochs": 1500, "stop_accuracy": 0},
        "eval": {"every": 100, "batch_size": 1000, "toy_grid": 20}, "checkpoint_every": 100, "checkpoint_seconds": 0,
        "lean_step": True}
# Another job with the same adversarial key: other eval cadence, batches, grid and step kernel.
OTHER = dict(BASE, eval={"every": 250, "batch_size": 7, "toy_grid": 30}, lean_step=False)


def job_file(name, spec, output):
    path = os.path.join(WORK, name + ".json")
    with open(path, "w") as f:
        json.dump(dict(spec, output=output), f)
    return path


def run(job, fault=None, expect=0, extra=()):
    env = dict(ENV, BGM_FAULT=fault) if fault else ENV
    proc = subprocess.run([BGM, "run", job] + list(extra), env=env, capture_output=True, text=True, timeout=600)
    if proc.returncode != expect and not (expect == "killed" and proc.returncode < 0):
        fail("bgm run %s (BGM_FAULT=%s) exited %d:\n%s" % (job, fault, proc.returncode, proc.stderr[-2000:]))
    return proc.stderr


def same(stage, want, got, what):
    (r0, w0), (r1, w1) = want[stage], got[stage]
    with open(w0, "rb") as a, open(w1, "rb") as b:
        if a.read() != b.read():
            fail("%s: %s differs from the undisturbed run's %s" % (what, w1, w0))
    if comparable(r0) != comparable(r1):
        fail("%s: the %s result differs from the undisturbed run's:\n  %s\n  %s" %
             (what, stage, json.dumps(comparable(r0))[:600], json.dumps(comparable(r1))[:600]))
    return r1


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
straight = os.path.join(WORK, "straight")
run(job_file("straight", BASE, straight))
want = results(straight)

# 1. The adversarial init, started by BASE and killed at its 5th checkpoint, is finished by OTHER's job.
shared = os.path.join(WORK, "shared")
run(job_file("base", BASE, shared), fault="checkpoint-rotated:abort:5", expect="killed")
log = run(job_file("other", OTHER, shared), extra=["--init-only"])
if "keeping the settings this stage started with" not in log:
    fail("OTHER's run did not say it kept the init stage's settings:\n" + log[-2000:])
init = same("adversarial-init", want, results(shared), "init finished by another job")
if init["final"].get("stage_settings", {}).get("eval_every") != 100:
    fail("the init result does not record the settings that ran: %s" % init["final"].get("stage_settings"))

# 2. BASE's training stage killed at its 3rd checkpoint, resumed with another step kernel and evaluation batch
# (the same job id: neither is part of it).
run(os.path.join(WORK, "base.json"), fault="checkpoint-rotated:abort:3", expect="killed")
shutil.copytree(shared, shared + "-threads", symlinks=True)
run(job_file("base-changed", dict(BASE, lean_step=False, eval=dict(BASE["eval"], batch_size=7)), shared))
train = same("train", want, {k: v for k, v in results(shared).items()}, "train stage resumed under other settings")
if train["job"]["lean_step"] is not True or train["job"]["eval"]["batch_size"] != 1000:
    fail("the train result does not record the settings that ran: lean_step %s, eval.batch_size %s" %
         (train["job"]["lean_step"], train["job"]["eval"]["batch_size"]))
if "machine_changes" in train["final"]:
    fail("a resume on the same machine recorded machine_changes: %s" % train["final"]["machine_changes"])

# 3. The same killed stage resumed with 2 threads: recorded, not hidden.
run(job_file("base-threads", BASE, shared + "-threads"), extra=["--threads", "2"])
changes = results(shared + "-threads")["train"][0]["final"].get("machine_changes", [])
if len(changes) != 1 or "1 thread(s)" not in changes[0] or "2 thread(s)" not in changes[0]:
    fail("a resume with 2 threads recorded machine_changes %s" % changes)
print("resume_settings: ok (init finished by another job, train resumed under other settings: identical bytes; "
      "thread change recorded: %s)" % changes[0])
