"""Shared by the fault harness: the job kinds, processes and their logs, and the comparison with an undisturbed run.
"""
import glob
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

WALL_CLOCK = ("seconds", "images_per_s")
# The jobs below are sized in epochs for OpenBLAS's generic Prescott kernels, which Debian's OpenBLAS picks on this
# VM's CPU; bgm would otherwise restart on its AVX-512 ones (src/train/blas_kernel.h) and finish 4-5x sooner than
# the kills and locks are timed for. Pinned here so that a job's length does not depend on the BLAS detection.
BLAS_ENV = {"OPENBLAS_CORETYPE": "Prescott"}
FMNIST = {"name": "fashion-mnist", "train_subset": 500, "test_subset": 200}
MLP = {"name": "mlp", "width": 128}
ADVERSARIAL = {"kind": "adversarial", "R": 4, "zero_fraction": 0.1, "lr": 0.05, "batch_size": 64, "epochs": 15,
               "stop_accuracy": 100}
SHORT = {"dataset": FMNIST, "model": MLP, "init": "random", "mode": "vanilla",
         "train": {"lr": 0.01, "batch_size": 32, "epochs": 300}, "eval": {"every": 10}}
# Each job is long enough for K kills on an idle 2-core machine; checkpoints every 0.2 s at most.
JOBS = {
    # Algorithm 1's pretraining alone (bgm run --init-only): W0A and the adversarial-init result.
    "adversarial-init": dict(job={"dataset": FMNIST, "model": MLP, "init": dict(ADVERSARIAL, epochs=120, stop_accuracy=0),
                                  "mode": "vanilla", "eval": {"every": 10}}, init_only=True),
    # The job: vanilla SGD to 100% train accuracy, past epoch 300 (the checkpoint's old modulo-256 bug).
    "vanilla-stop": dict(job={"dataset": dict(FMNIST, train_subset=250), "model": MLP, "init": "random", "mode": "vanilla",
                              "train": {"lr": 0.01, "batch_size": 128, "epochs": 3000, "stop_accuracy": 100},
                              "eval": {"every": 25}}),
    # Momentum, l2 and augmentation, from an adversarial init computed by the same process tree (both stages).
    "sota": dict(job={"dataset": FMNIST, "model": MLP, "init": ADVERSARIAL, "mode": "sota",
                      "train": {"lr": 0.01, "batch_size": 32, "epochs": 150}, "eval": {"every": 10}}),
    # Fig. 1's toy with the hand-written lean step in both stages.
    "toy-lean": dict(job={"dataset": "toy-gaussians", "model": "toy-mlp", "lean_step": True, "mode": "vanilla",
                          "init": {"kind": "adversarial", "lr": 0.03, "batch_size": 10, "epochs": 6000, "stop_accuracy": 0},
                          "train": {"lr": 0.03, "batch_size": 10, "epochs": 3000, "stop_accuracy": 0}, "eval": {"every": 500}},
                     step_kernel="lean-mlp-cpu"),
    # Data parallel over 2 MPI ranks (kill -9 of the whole tree, or SIGUSR1 to every rank as srun does).
    "mpi-2rank": dict(job=SHORT, ranks=2),
    # The same in one process: the lock and full-disk scenarios' second job.
    "short": dict(job=SHORT),
    # BatchNorm (ResNet18: running statistics and their broadcast in every checkpoint), Algorithm 1 with its masks
    # generated per batch (alg1_memory_mb 0), augmentation, FGSM at the end. Minutes on 2 cores: make test-faults
    # runs it (BGM_FAULT_SLOW=1), make test skips it.
    "bn-resnet": dict(job={"dataset": dict(FMNIST, train_subset=64, test_subset=32), "model": {"name": "resnet18"},
                           "init": dict(ADVERSARIAL, R=2, batch_size=32, epochs=6, stop_accuracy=0), "alg1_memory_mb": 0,
                           "mode": "sota", "train": {"lr": 0.01, "batch_size": 32, "epochs": 10},
                           "eval": {"every": 2, "norms": False, "fgsm_eps": [0, 0.01]}}, slow=True),
}
STAGES = ("adversarial-init", "train")
START = re.compile(r"\[(adversarial-init|train)\] (?:starting at epoch 0|resuming from (\S+) at epoch (\d+)(?: step (\d+))?)")


def fail(message):
    print("FAIL: " + message, file=sys.stderr, flush=True)
    sys.exit(1)


class Harness:
    def __init__(self, bgm, work, mpirun):
        self.bgm, self.work, self.mpirun = bgm, work, mpirun

    def job_file(self, kind, name, **overrides):
        spec = JOBS[kind]
        job = dict({"seed": 0, "behaviour": "paper"}, **spec["job"])
        job.setdefault("checkpoint_seconds", 0.2)
        job.update(device="cpu", output=os.path.join(self.work, kind, name))
        job.update(overrides)
        path = os.path.join(self.work, kind, name + ".json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(job, f)
        return path, job["output"]

    def command(self, kind, job_path):
        spec = JOBS[kind]
        cmd = [self.bgm, "run", job_path] + (["--init-only"] if spec.get("init_only") else [])
        if spec.get("ranks"):
            cmd = [self.mpirun, "--allow-run-as-root", "--oversubscribe", "-np", str(spec["ranks"])] + cmd + [
                "--backend", "mpi"]
        return cmd

    def start(self, cmd, env=None):
        """A process in its own session whose stderr lines are read with their arrival times."""
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, env=dict(os.environ, **BLAS_ENV, **(env or {})))
        proc.lines = []  # (time, line)

        def pump():
            for line in proc.stderr:
                proc.lines.append((time.monotonic(), line.rstrip("\n")))
        proc.reader = threading.Thread(target=pump, daemon=True)
        proc.reader.start()
        return proc

    def finish(self, proc, timeout=600):
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_tree(proc, signal.SIGKILL)
            proc.wait()
            fail("a process ran past %d s; its log:\n%s" % (timeout, log_text(proc)))
        proc.reader.join(5)
        return proc.returncode

    def run_to_end(self, kind, job_path, env=None, expect_rc=0):
        proc = self.start(self.command(kind, job_path), env)
        rc = self.finish(proc)
        if expect_rc is not None and rc != expect_rc:
            fail("%s exited %d (expected %d):\n%s" % (" ".join(proc.args), rc, expect_rc, log_text(proc)))
        return proc


def start_for_a_kill(h, cmd, output, delay, what):
    """Starts cmd and returns it once it has written a checkpoint of its own in output and `delay` s have passed
    since; fails when it ends before (the job or sweep is too short for its kills)."""
    before = checkpoints(output)
    proc = h.start(cmd)
    deadline = time.monotonic() + 300
    while proc.poll() is None and not (checkpoints(output) - before) and time.monotonic() < deadline:
        time.sleep(0.01)
    at_checkpoint = time.monotonic()
    while proc.poll() is None and time.monotonic() < at_checkpoint + delay:
        time.sleep(0.01)
    if proc.poll() is not None:
        fail("%s: it ended (rc %s) before its kill; make it longer. Log:\n%s" % (what, proc.returncode, log_text(proc)))
    return proc, at_checkpoint


def toy_manifest(name, epochs):
    """Fig. 1's toy at a small size, random and adversarial init (Algorithm 1 as a first wave), seeds 0 and 1."""
    toy = {"name": "toy-gaussians", "toy_points_per_class": 50, "toy_test_points_per_class": 200}
    return {
        "name": name,
        "base": {"dataset": toy, "model": {"name": "toy-mlp", "width": 64}, "device": "cpu", "mode": "vanilla",
                 "checkpoint_seconds": 0.2,
                 "train": {"lr": 0.03, "batch_size": 10, "epochs": epochs, "stop_accuracy": 0},
                 "eval": {"every": 250, "toy_grid": 0}},
        "axes": [
            {"name": "init", "values": [
                {"label": "random", "set": {"init": "random"}},
                {"label": "adversarial", "set": {"init": {"kind": "adversarial", "lr": 0.03, "batch_size": 10,
                                                           "epochs": epochs}}}]},
            {"key": "seed", "values": [0, 1]},
        ],
    }


def log_text(proc):
    return "\n".join(line for _, line in proc.lines[-40:])


def descendants(pid):
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
        except (OSError, IndexError, ValueError):
            pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def kill_tree(proc, sig):
    for pid in descendants(proc.pid):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def checkpoints(output):
    found = set()
    for path in glob.glob(os.path.join(output, "**", "checkpoint.pt"), recursive=True):
        try:
            st = os.stat(path)
            found.add((path, st.st_ino, st.st_mtime_ns))
        except FileNotFoundError:
            pass
    return found


def results(output, by_job=False):
    """{stage: (result dict, weights path)} of a finished job's output folder; by_job: keyed by each result's
    folder (runs/ID, adversarial-init/ID), for the many jobs of a sweep."""
    out = {}
    for result in glob.glob(os.path.join(output, "*", "*", "result.json")):
        with open(result) as f:
            r = json.load(f)
        weights = "w0a.pt" if r["kind"] == "adversarial-init" else "final.pt"
        key = os.path.relpath(os.path.dirname(result), output) if by_job else r["kind"]
        out[key] = (r, os.path.join(os.path.dirname(result), weights))
    return out


def comparable(result):
    """What must not depend on faults, after a JSON round trip: curve (without wall-clock fields), final, metrics."""
    curve = [{k: v for k, v in row.items() if k not in WALL_CLOCK} for row in result["curve"]]
    return json.loads(json.dumps({"curve": curve, "final": result["final"], "metrics": result.get("metrics")}))


def compare_outputs(straight, faulted, what, by_job=False):
    want, got = results(straight, by_job), results(faulted, by_job)
    if sorted(want) != sorted(got):
        fail("%s: results %s, the undisturbed run has %s" % (what, sorted(got), sorted(want)))
    for stage in want:
        (r0, w0), (r1, w1) = want[stage], got[stage]
        with open(w0, "rb") as a, open(w1, "rb") as b:
            if a.read() != b.read():
                fail("%s: %s differs from the undisturbed run's %s" % (what, w1, w0))
        c0, c1 = comparable(r0), comparable(r1)
        for key in c0:
            if c0[key] != c1[key]:
                fail("%s: %s of the %s result differs from the undisturbed run:\n  %s\n  %s" %
                     (what, key, stage, json.dumps(c0[key])[:400], json.dumps(c1[key])[:400]))
    leftovers = [p for p in glob.glob(os.path.join(faulted, "**", "*"), recursive=True)
                 if re.search(r"\.tmp\.\d+$|checkpoint\.pt", os.path.basename(p))]
    if leftovers:
        fail("%s: leftover files after the job completed: %s" % (what, leftovers))
    return got


def start_point(proc):
    """(stage index, epoch, step) this process started training from, or None before it said."""
    for _, line in proc.lines:
        m = START.search(line)
        if m:
            return (STAGES.index(m.group(1)), int(m.group(3) or 0), int(m.group(4) or 0))
    return None


def stage_seconds(proc, end):
    """Seconds this process spent in each stage: from a stage's start line to the next one or the end."""
    marks = [(t, m.group(1)) for t, line in proc.lines for m in [START.search(line)] if m]
    spent = {}
    for i, (t, stage) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        spent[stage] = spent.get(stage, 0.0) + max(0.0, stop - t)
    return spent


