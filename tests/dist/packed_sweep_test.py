#!/usr/bin/env python3
"""`bgm sweep --jobs-per-gpu K` on the CPU: K = 2 gives the same bits as one job at a time, never more than K jobs
at once, Algorithm 1 before training; a failing job leaves the others running; the memory check refuses a job
that fits no device and serializes jobs that fit only alone; SIGTERM checkpoints every running job and a rerun
finishes with the undisturbed bits.
usage: packed_sweep_test.py BGM WORKDIR"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from harness_lib import BLAS_ENV, comparable, toy_manifest  # noqa: E402

BGM, WORK = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, **BLAS_ENV)
GRID = toy_manifest("packed-test", 1500)
# Two longer jobs (seconds each) for the SIGTERM part: both must be running and checkpointed when it comes.
LONG = {
    "name": "packed-long",
    "base": dict(GRID["base"], init="random", train={"lr": 0.03, "batch_size": 10, "epochs": 30000, "stop_accuracy": 0},
                 eval={"every": 2500, "toy_grid": 0}),
    "axes": [{"key": "seed", "values": [0, 1]}],
}
# A bf16 job fails at run time on the CPU; the fp32 ones beside and after it must still finish.
FAILING = {
    "name": "packed-failing",
    "base": dict(GRID["base"], init="random", train={"lr": 0.03, "batch_size": 10, "epochs": 300, "stop_accuracy": 0}),
    "axes": [{"key": "seed", "values": [0, 1, 2]}, {"key": "precision", "values": ["bf16", "fp32"]}],
}


def fail(message):
    print("packed_sweep_test: FAIL: " + message)
    sys.exit(1)


def write(name, doc):
    path = os.path.join(WORK, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def sweep(manifest, out, *extra, expect=0):
    cmd = [BGM, "sweep", manifest, "--output", out] + list(extra)
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=900)
    if proc.returncode != expect:
        fail("%s exited %d, expected %d:\n%s%s" % (" ".join(cmd), proc.returncode, expect, proc.stdout, proc.stderr))
    return proc.stdout + proc.stderr


def outputs(out):
    """{result path relative to out: (comparable result, weights bytes)}"""
    found = {}
    for path in sorted(glob.glob(os.path.join(out, "*", "*", "result.json"))):
        with open(path) as f:
            r = json.load(f)
        if r.get("status") != "complete":
            fail("%s is not complete" % path)
        weights = os.path.join(os.path.dirname(path), "w0a.pt" if r["kind"] == "adversarial-init" else "final.pt")
        with open(weights, "rb") as f:
            found[os.path.relpath(path, out)] = (comparable(r), f.read())
    return found


def same(reference, other, what):
    want, got = outputs(reference), outputs(other)
    if sorted(want) != sorted(got):
        fail("%s: results %s, one job at a time gave %s" % (what, sorted(got), sorted(want)))
    for key in want:
        if want[key][1] != got[key][1]:
            fail("%s: the weights of %s differ from one job at a time" % (what, key))
        if want[key][0] != got[key][0]:
            fail("%s: %s differs from one job at a time" % (what, key))
    return len(want)


def check_packing(log, k):
    """At most k jobs at once, k reached, and every init job done before the first training job starts."""
    counts = [int(m) for m in re.findall(r"started .* on cpu \((\d+) of %d there" % k, log)]
    if not counts or max(counts) > k:
        fail("expected up to %d jobs at once, saw %s:\n%s" % (k, counts, log))
    lines = log.splitlines()
    init_done = [i for i, l in enumerate(lines) if re.search(r"sweep: init job .* done", l)]
    train_start = [i for i, l in enumerate(lines) if re.search(r"sweep: started train job", l)]
    if not init_done or not train_start or max(init_done) > min(train_start):
        fail("a training job started before Algorithm 1's jobs ended:\n" + log)
    return max(counts)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
grid, failing, long_grid = write("grid", GRID), write("failing", FAILING), write("long", LONG)

start = time.time()
sweep(grid, os.path.join(WORK, "one"))  # the reference: one process, one job after another
print("reference (in-process, one at a time): %.1f s" % (time.time() - start))
start = time.time()
log = sweep(grid, os.path.join(WORK, "k2"), "--jobs-per-gpu", "2")
reached = check_packing(log, 2)
print("--jobs-per-gpu 2: %.1f s, %d at once" % (time.time() - start, reached))
if reached != 2:
    fail("two jobs never ran at once with --jobs-per-gpu 2:\n" + log)
n = same(os.path.join(WORK, "one"), os.path.join(WORK, "k2"), "--jobs-per-gpu 2")
rerun = sweep(grid, os.path.join(WORK, "k2"), "--jobs-per-gpu", "2")
if "0 jobs to run, %d already complete" % n not in rerun:
    fail("a rerun did not skip the %d complete jobs:\n%s" % (n, rerun))
print("K=2 equals one at a time: %d results and weights, byte for byte; a rerun skips them" % n)

# Memory: a device too small for any job is refused before anything starts; room for one job serializes.
log = sweep(grid, os.path.join(WORK, "tiny"), "--jobs-per-gpu", "2", "--device-memory-mb", "1", expect=2)
if "needs an estimated" not in log or os.path.exists(os.path.join(WORK, "tiny", "runs")):
    fail("a job larger than the device was not refused before starting:\n" + log)
est = re.search(r"init job #0 .*estimated ([0-9.]+) GiB", sweep(grid, os.path.join(WORK, "tiny"), "--stage", "init",
                                                                   "--indices", "0", "--jobs-per-gpu", "1"))
one_job_mb = int(float(est.group(1)) * 1024 * 1.5) + 1  # room for one job's estimate, not two
log = sweep(grid, os.path.join(WORK, "tiny"), "--jobs-per-gpu", "2", "--device-memory-mb", str(one_job_mb))
if check_packing(log, 2) != 1:
    fail("--device-memory-mb %d has room for one job, yet two ran at once:\n%s" % (one_job_mb, log))
same(os.path.join(WORK, "one"), os.path.join(WORK, "tiny"), "serialized by memory")
print("memory check: refused at 1 MiB; at %d MiB (one job's room) one at a time, same bits" % one_job_mb)

# A failing job: exit 1, named, its log's tail shown; every other job complete.
log = sweep(failing, os.path.join(WORK, "failing"), "--jobs-per-gpu", "2", expect=1)
failed = re.findall(r"bgm sweep: failed: (train job #\d+)", log)
done = outputs(os.path.join(WORK, "failing"))
if len(failed) != 3 or len(done) != 3 or "bf16" not in log:
    fail("expected the 3 bf16 jobs to fail and the 3 fp32 ones to finish; failed %s, complete %d:\n%s"
         % (failed, len(done), log))
print("failure isolation: 3 bf16 jobs failed (named, exit 1), the 3 fp32 jobs complete")

# SIGTERM while two jobs run: both checkpoint, the sweep exits 143; a rerun completes with the same bits.
sweep(long_grid, os.path.join(WORK, "long-one"))
out = os.path.join(WORK, "term")
proc = subprocess.Popen([BGM, "sweep", long_grid, "--output", out, "--jobs-per-gpu", "2"], env=ENV,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
deadline = time.time() + 60
while time.time() < deadline and len(glob.glob(os.path.join(out, "*", "*", "checkpoint.pt"))) < 2:
    time.sleep(0.05)
if len(glob.glob(os.path.join(out, "*", "*", "checkpoint.pt"))) < 2:
    proc.kill()
    fail("two running jobs never both wrote a checkpoint")
proc.send_signal(signal.SIGTERM)
text = proc.communicate(timeout=300)[0]
if proc.returncode != 128 + signal.SIGTERM or text.count("checkpointed and stopped") < 1:
    fail("after SIGTERM: exit %d, expected %d with jobs checkpointed:\n%s" % (proc.returncode, 143, text))
resumed = sweep(long_grid, out, "--jobs-per-gpu", "2")
if resumed.count("done on cpu") != 2:
    fail("the rerun after SIGTERM did not finish both jobs:\n" + resumed)
same(os.path.join(WORK, "long-one"), out, "SIGTERM and rerun")
print("SIGTERM: %d job(s) checkpointed, exit 143; the rerun's results equal the undisturbed ones"
      % text.count("checkpointed and stopped"))
print("packed_sweep_test: PASS")
