#!/usr/bin/python3
"""Whole jobs under repeated faults, compared with an undisturbed run of the same job.

usage: fault_harness.py BGM KIND [--kills K] [--seed S] [--work DIR] [--mpirun MPIRUN]
       fault_harness.py BGM job --job FILE [--init-only] [--kills K] [--seed S]
  KIND: a job kind of JOBS (random kills), a scenario of SCENARIOS (faults placed through BGM_FAULT), or `job`:
  random kills of any job file (its output, device and, unless it sets one, checkpoint_seconds are the harness's).

Random kills: the job runs once undisturbed, then again under K kills, each at a seeded pseudo-random moment
after the process has written a checkpoint of its own (so every rerun must resume later than the one before), by
kill -9 of the whole process tree or by SIGTERM/SIGUSR1 (Slurm's preemption), then to the end. Required: the same
bytes of final.pt / w0a.pt, the same curve (but for the wall-clock fields), final and metrics in every result, and a
train_seconds within 20% + 2 s of the training time the processes actually spent.
The seed is printed; BGM_FAULT_SEED=S (or --seed S) replays a run's kill moments.
"""
import argparse
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time

from fault_scenarios import SCENARIOS
from harness_lib import JOBS, Harness, compare_outputs, descendants, fail, kill_tree, log_text, results, \
    stage_seconds, start_for_a_kill, start_point
from sweep_faults import SWEEP_KINDS


def last_bgm_line(proc):
    """When bgm itself last spoke: mpirun's teardown and its messages after that are not the job's time."""
    return max(t for t, line in proc.lines if line.startswith(("bgm", "[")))


def random_kills(h, kind, kills, rng):
    ranks = JOBS[kind].get("ranks")
    straight, straight_out = h.job_file(kind, "straight")
    faulted, faulted_out = h.job_file(kind, "faulted")
    t0 = time.monotonic()
    h.run_to_end(kind, straight)
    training = sum(r["timing"]["train_seconds"] for r, _ in results(straight_out).values())
    print("%s: undisturbed run %.1f s, %.1f s of it training" % (kind, time.monotonic() - t0, training), flush=True)

    signals = ["KILL", "USR1"] if ranks else ["KILL", "TERM", "USR1"]
    plan = [signals[i % len(signals)] for i in range(kills)]
    rng.shuffle(plan)
    # Each kill comes a random time after the process's first checkpoint; together the delays add up to 45% of the
    # job's training, so the last kills land late in the job and the last process still has training left when
    # its kill comes: each process also trains from its start to its first checkpoint (at least checkpoint_seconds
    # and an epoch), a fixed cost that weighs more on a fast machine, where the whole job is short.
    delays = [rng.uniform(0.3, 1.7) for _ in plan]
    delays = [d * 0.45 * training / sum(delays) for d in delays]
    spent, previous = {}, None
    for n, (how, delay) in enumerate(zip(plan, delays), 1):
        proc, at_checkpoint = start_for_a_kill(h, h.command(kind, faulted), faulted_out, delay,
                                               "%s, kill %d of %d" % (kind, n, kills))
        at = time.monotonic()
        if how == "KILL":
            kill_tree(proc, signal.SIGKILL)
        elif ranks:  # srun signals every task
            for pid in descendants(proc.pid)[1:]:
                os.kill(pid, getattr(signal, "SIG" + how))
        else:
            os.kill(proc.pid, getattr(signal, "SIG" + how))
        rc = h.finish(proc)
        point = start_point(proc)
        if how != "KILL" and not ranks and rc != 128 + getattr(signal, "SIG" + how):
            fail("%s: SIG%s gave exit status %d, not 128 + signal:\n%s" % (kind, how, rc, log_text(proc)))
        if point is None:
            fail("%s: process %d logged no start line:\n%s" % (kind, n, log_text(proc)))
        if previous is not None and point <= previous:
            fail("%s: process %d resumed at %s, not later than the one before (%s):\n%s" %
                 (kind, n, point, previous, log_text(proc)))
        previous = point
        this = stage_seconds(proc, at if how == "KILL" else last_bgm_line(proc))
        for stage, s in this.items():
            spent[stage] = spent.get(stage, 0.0) + s
        print("%s: kill %d/%d SIG%s %.2f s after its first checkpoint; it had started at (stage, epoch, step) %s and "
              "trained %s" % (kind, n, kills, how, at - at_checkpoint, point,
                              ", ".join("%.2f s in %s" % (v, k) for k, v in this.items())), flush=True)
    proc = h.run_to_end(kind, faulted)
    point = start_point(proc)
    if point is None or point <= previous:
        fail("%s: the last run resumed at %s, not after %s:\n%s" % (kind, point, previous, log_text(proc)))
    for stage, s in stage_seconds(proc, last_bgm_line(proc)).items():
        spent[stage] = spent.get(stage, 0.0) + s

    got = compare_outputs(straight_out, faulted_out, kind)
    for stage, (result, _) in got.items():
        recorded, actual = result["timing"]["train_seconds"], spent.get(stage, 0.0)
        if abs(recorded - actual) > 0.2 * actual + 2.0:
            fail("%s: %s train_seconds %.2f, but the processes spent %.2f s in that stage" %
                 (kind, stage, recorded, actual))
        kernel = JOBS[kind].get("step_kernel")
        if kernel and result["final"]["step_kernel"] != kernel:
            fail("%s: the %s stage ran step kernel %s, not %s" % (kind, stage, result["final"]["step_kernel"], kernel))
        blas = result["hardware"]["blas"]
        if blas["threads"] != 1:
            fail("%s: the %s result ran %s with %s threads; the job's threads is 1" % (kind, stage, blas["name"], blas["threads"]))
        print("%s: %s identical; train_seconds %.2f vs %.2f s spent" % (kind, stage, recorded, actual), flush=True)
    print("%s: PASS (%d kills: %s)" % (kind, kills, " ".join(plan)), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bgm")
    ap.add_argument("kind", choices=sorted(JOBS) + sorted(SCENARIOS) + sorted(SWEEP_KINDS) + ["job"],
                    help="'job': the job file given with --job (e.g. from bgm run --manifest M --index I --print-job)")
    ap.add_argument("--job", help="for kind 'job': a job JSON; its output, seed and device are the harness's")
    ap.add_argument("--init-only", action="store_true", help="for kind 'job': run its adversarial-init stage only")
    ap.add_argument("--kills", type=int, default=int(os.environ.get("BGM_FAULT_KILLS", "5")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("BGM_FAULT_SEED", "1")))
    ap.add_argument("--work")
    ap.add_argument("--mpirun", default="mpirun")
    args = ap.parse_args()
    if JOBS.get(args.kind, {}).get("slow") and os.environ.get("BGM_FAULT_SLOW") != "1":
        print("fault harness: %s takes minutes; make test-faults runs it (BGM_FAULT_SLOW=1)" % args.kind)
        sys.exit(77)
    work = args.work or tempfile.mkdtemp(prefix="bgm-faults.")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    print("fault harness: %s, seed %d (replay: BGM_FAULT_SEED=%d %s %s %s), work %s" %
          (args.kind, args.seed, args.seed, sys.argv[0], args.bgm, args.kind, work), flush=True)
    h = Harness(os.path.abspath(args.bgm), work, args.mpirun)
    if args.kind == "job":
        if not args.job:
            fail("kind 'job' needs --job FILE")
        with open(args.job) as f:
            JOBS["job"] = dict(job={k: v for k, v in json.load(f).items() if k != "output"}, init_only=args.init_only)
    if args.kind in JOBS:
        random_kills(h, args.kind, args.kills, random.Random(args.seed))
    elif args.kind in SWEEP_KINDS:
        SWEEP_KINDS[args.kind](h, args.kills, random.Random(args.seed))
    else:
        SCENARIOS[args.kind](h)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
