"""`bgm sweep` under repeated faults: a manifest of Algorithm 1 and training jobs run as K = 2 child processes
(`--jobs-per-gpu 2`) or as a 2-rank MPI task farm, killed at seeded random moments, then run to the end. Every
job's weights and result must equal an undisturbed sweep's byte for byte, with nothing left behind."""
import glob
import json
import os
import signal
import time

from harness_lib import compare_outputs, descendants, fail, kill_tree, log_text, start_for_a_kill, toy_manifest

SWEEP = toy_manifest("sweep-faults", 12000)


def gone(pids, timeout=120):
    """Waits until none of pids is alive (orphaned jobs finishing their checkpoint)."""
    deadline = time.monotonic() + timeout
    while any(os.path.exists("/proc/%d" % p) for p in pids):
        if time.monotonic() > deadline:
            fail("jobs %s still run %d s after their sweep was killed" % (pids, timeout))
        time.sleep(0.05)


def sweep_kills(h, what, command, signals, kills, rng):
    """Runs command(output) undisturbed, then under `kills` faults drawn from `signals`, then to the end."""
    manifest = os.path.join(h.work, "sweep.json")
    with open(manifest, "w") as f:
        json.dump(SWEEP, f)
    straight, faulted = os.path.join(h.work, "straight"), os.path.join(h.work, "faulted")
    t0 = time.monotonic()
    proc = h.start(command(manifest, straight))
    if h.finish(proc) != 0:
        fail("%s: the undisturbed sweep failed:\n%s" % (what, log_text(proc)))
    took = time.monotonic() - t0
    print("%s: undisturbed sweep %.1f s" % (what, took), flush=True)

    plan = [signals[i % len(signals)] for i in range(kills)]
    rng.shuffle(plan)
    delays = [rng.uniform(0.3, 1.7) for _ in plan]
    # Together 40% of the undisturbed sweep, which each process's run up to its first checkpoint lengthens: the
    # kills reach the training wave, yet a sweep that runs twice as fast as the undisturbed one (ctest's load
    # varies) still has work left at its last kill.
    delays = [d * 0.4 * took / sum(delays) for d in delays]
    for n, (how, delay) in enumerate(zip(plan, delays), 1):
        proc, _ = start_for_a_kill(h, command(manifest, faulted), faulted, delay, "%s, fault %d of %d" % (what, n, kills))
        tree = descendants(proc.pid)
        if how == "KILL":  # node failure: every process at once
            kill_tree(proc, signal.SIGKILL)
        elif how == "KILL-sweep":  # the sweep alone dies (OOM killer): its jobs must checkpoint and leave
            os.kill(proc.pid, signal.SIGKILL)
        elif how.endswith("-all"):  # srun signals every task
            for pid in tree[1:]:
                try:
                    os.kill(pid, getattr(signal, "SIG" + how[:-4]))
                except ProcessLookupError:
                    pass
        else:  # Slurm's --signal=B: the batch script forwards it to the sweep
            os.kill(proc.pid, getattr(signal, "SIG" + how))
        rc = h.finish(proc)
        gone(tree[1:])
        if how in ("TERM", "USR1") and rc != 128 + getattr(signal, "SIG" + how):
            fail("%s: SIG%s gave exit status %d, not 128 + signal:\n%s" % (what, how, rc, log_text(proc)))
        done = len(glob.glob(os.path.join(faulted, "*", "*", "result.json")))
        print("%s: fault %d/%d %s %.2f s after a new checkpoint; exit %s; %d results so far" %
              (what, n, kills, how, delay, rc, done), flush=True)
    proc = h.start(command(manifest, faulted))
    if h.finish(proc) != 0:
        fail("%s: the last sweep failed:\n%s" % (what, log_text(proc)))
    got = compare_outputs(straight, faulted, what, by_job=True)
    print("%s: PASS (%d faults: %s; %d results identical)" % (what, kills, " ".join(plan), len(got)), flush=True)


def packed_sweep(h, kills, rng):
    """`bgm sweep --jobs-per-gpu 2`: kill -9 of everything, of the sweep alone, SIGTERM and SIGUSR1 to the sweep."""
    def command(manifest, out):
        return [h.bgm, "sweep", manifest, "--output", out, "--jobs-per-gpu", "2"]
    sweep_kills(h, "packed-sweep", command, ["KILL", "KILL-sweep", "TERM", "USR1"], kills, rng)


def farm_sweep(h, kills, rng):
    """The MPI task farm over 2 ranks (two groups of one): kill -9 of mpirun and its ranks, SIGUSR1 to every rank."""
    def command(manifest, out):
        return [h.mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2", h.bgm, "sweep", manifest,
                "--output", out, "--backend", "mpi"]
    sweep_kills(h, "farm-sweep", command, ["KILL", "USR1-all"], kills, rng)


SWEEP_KINDS = {"packed-sweep": packed_sweep, "farm-sweep": farm_sweep}
