#!/usr/bin/env python3
"""A preempted task farm (`bgm sweep` under mpirun, SIGUSR1 to every rank as srun sends it): every group
checkpoints its job, no further job starts, every rank exits 138, and a rerun finishes with the bits of an
undisturbed farm. Before, the first group to stop aborted the world and the others lost their unsaved work.
usage: task_farm_preempt_test.py BGM MPIRUN WORKDIR"""
import glob
import json
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from harness_lib import Harness, checkpoints, descendants, fail, log_text  # noqa: E402

BGM, MPIRUN, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
FARM = {
    "name": "farm-preempt",
    "base": {"dataset": {"name": "toy-gaussians", "toy_points_per_class": 50, "toy_test_points_per_class": 100},
             "model": {"name": "toy-mlp", "width": 64}, "device": "cpu", "mode": "vanilla", "init": "random",
             "checkpoint_seconds": 0.2, "train": {"lr": 0.03, "batch_size": 10, "epochs": 20000, "stop_accuracy": 0},
             "eval": {"every": 5000, "toy_grid": 0}},
    "axes": [{"key": "seed", "values": [0, 1, 2, 3]}],
}


def finals(out):
    found = {}
    for path in sorted(glob.glob(os.path.join(out, "runs", "*", "final.pt"))):
        with open(path, "rb") as f:
            found[os.path.basename(os.path.dirname(path))] = f.read()
    return found


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
manifest = os.path.join(WORK, "farm.json")
with open(manifest, "w") as f:
    json.dump(FARM, f)
h = Harness(BGM, WORK, MPIRUN)


def farm(out):
    return h.start([MPIRUN, "--allow-run-as-root", "--oversubscribe", "-np", "2", BGM, "sweep", manifest,
                    "--output", out, "--backend", "mpi"])


straight = os.path.join(WORK, "straight")
proc = farm(straight)
if h.finish(proc) != 0:
    fail("the undisturbed farm failed:\n" + log_text(proc))
want = finals(straight)
if len(want) != 4:
    fail("the undisturbed farm wrote %d final weights, expected 4" % len(want))

out = os.path.join(WORK, "preempted")
proc = farm(out)
deadline = time.monotonic() + 300
while proc.poll() is None and len({os.path.dirname(p) for p, _, _ in checkpoints(out)}) < 2:
    if time.monotonic() > deadline:
        fail("the two groups did not both checkpoint a job:\n" + log_text(proc))
    time.sleep(0.05)
for pid in descendants(proc.pid)[1:]:  # srun signals every task
    try:
        os.kill(pid, signal.SIGUSR1)
    except ProcessLookupError:
        pass
rc = h.finish(proc)
text = "\n".join(line for _, line in proc.lines)
if rc == 0:
    fail("a preempted farm exited 0:\n" + text[-3000:])
if text.count("checkpoint written") != 2:
    fail("expected both groups to write a checkpoint and say so:\n" + text[-3000:])
if "aborting" in text:
    fail("a preempted farm aborted the world:\n" + text[-3000:])
started = text.count("starting at epoch 0")
if started != 2:
    fail("%d jobs started; a preempted farm must start none after the signal:\n%s" % (started, text[-3000:]))
if glob.glob(os.path.join(out, "runs", "*", "result.json")):
    fail("a job finished although both were preempted mid-way")

proc = farm(out)
if h.finish(proc) != 0:
    fail("the rerun failed:\n" + log_text(proc))
got = finals(out)
if got != want:
    fail("after preemption and rerun the final weights differ from the undisturbed farm's: %s" %
         sorted(k for k in want if got.get(k) != want[k]))
print("task_farm_preempt: ok (both groups checkpointed, exit %d, no job started after the signal; "
      "the rerun equals the undisturbed farm)" % rc)
