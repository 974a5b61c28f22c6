"""Faults at exact moments, placed through bgm's test-only BGM_FAULT points, and the guarantees around them:
one writer per job (the lock), a full disk, a damaged checkpoint. Each ends compared with an undisturbed run."""
import glob
import os
import signal
import subprocess
import time

from harness_lib import Harness, compare_outputs, fail, kill_tree, log_text


def stage_dir(output, stage):
    dirs = glob.glob(os.path.join(output, "adversarial-init" if stage == "adversarial-init" else "runs", "*"))
    return dirs[0] if dirs else None


def expect(proc, pattern, what):
    text = log_text(proc)
    if pattern not in text:
        fail("%s: expected '%s' in the log:\n%s" % (what, pattern, text))


def placed_faults(h: Harness):
    """The sota job (both stages) through every named point, one fault per run, then to the end."""
    kind = "sota"
    straight, straight_out = h.job_file(kind, "straight")
    faulted, out = h.job_file(kind, "faulted")
    h.run_to_end(kind, straight)
    killed = -signal.SIGKILL

    # Killed with a checkpoint's temporary file written, before its rename: the litter goes on the rerun.
    h.run_to_end(kind, faulted, {"BGM_FAULT": "checkpoint-tmp-written:abort:3"}, killed)
    if not glob.glob(os.path.join(stage_dir(out, "adversarial-init"), "*.tmp.*")):
        fail("checkpoint-tmp-written: no temporary file was left to clean up")
    # Killed between rotating checkpoint.pt to .prev and renaming .new into place: resumes from .new.
    proc = h.run_to_end(kind, faulted, {"BGM_FAULT": "checkpoint-rotated:abort:2"}, killed)
    adv = stage_dir(out, "adversarial-init")
    if glob.glob(os.path.join(adv, "*.tmp.*")):
        fail("the rerun left the killed writer's temporary files in %s" % adv)
    if os.path.exists(os.path.join(adv, "checkpoint.pt")) or not os.path.exists(os.path.join(adv, "checkpoint.pt.new")):
        fail("checkpoint-rotated: expected checkpoint.pt.new without checkpoint.pt in %s" % adv)
    # Killed after the adversarial-init result, before training: the stage is reused, training starts.
    proc = h.run_to_end(kind, faulted, {"BGM_FAULT": "stage-between:abort"}, killed)
    expect(proc, "resuming from " + os.path.join(adv, "checkpoint.pt.new"), "after checkpoint-rotated")
    run = stage_dir(out, "train")
    if not os.path.exists(os.path.join(adv, "result.json")) or glob.glob(os.path.join(run, "checkpoint.pt*")):
        fail("stage-between: expected the adversarial-init result and no training yet")
    # A full disk at the third checkpoint of training: a clear error, non-zero exit, the last checkpoint intact.
    proc = h.run_to_end(kind, faulted, {"BGM_FAULT": "checkpoint-write:enospc:3"}, None)
    expect(proc, "[adversarial-init] reusing", "after stage-between")
    if proc.returncode == 0:
        fail("a failed checkpoint write exited 0:\n" + log_text(proc))
    expect(proc, "No space left on device", "checkpoint-write:enospc")
    expect(proc, "checkpoint.pt", "checkpoint-write:enospc")
    # A damaged newest checkpoint: reported with its path, the previous generation used.
    h.run_to_end(kind, faulted, {"BGM_FAULT": "checkpoint-tmp-written:abort:3"}, killed)
    newest = os.path.join(stage_dir(out, "train"), "checkpoint.pt")
    if not os.path.exists(newest + ".prev"):
        fail("no previous checkpoint generation kept in " + stage_dir(out, "train"))
    with open(newest, "r+b") as f:
        f.truncate(os.path.getsize(newest) // 2)
    # Killed with the result's temporary file written: no result yet, the rerun finishes from the checkpoint.
    proc = h.run_to_end(kind, faulted, {"BGM_FAULT": "result-tmp-written:abort"}, killed)
    expect(proc, newest + ": not a readable bgm checkpoint", "truncated checkpoint")
    expect(proc, "resuming from the older checkpoint " + newest + ".prev", "truncated checkpoint")
    if os.path.exists(os.path.join(stage_dir(out, "train"), "result.json")):
        fail("result-tmp-written: a result was written although the process died before its rename")
    # Preempted (SIGTERM) inside the final model's FGSM sweep, then between two metric phases: each run leaves at
    # once with 143 and no result, the next resumes from the stage's last checkpoint and redoes only the metrics.
    result = os.path.join(stage_dir(out, "train"), "result.json")
    for fault in ("fgsm-batch:term", "final-metrics:term:2"):
        proc = h.run_to_end(kind, faulted, {"BGM_FAULT": fault}, 128 + signal.SIGTERM)
        expect(proc, "preempted by signal %d" % signal.SIGTERM, fault)
        if os.path.exists(result) or "bgm: done:" in log_text(proc):
            fail("%s: the job went on to write its result after SIGTERM:\n%s" % (fault, log_text(proc)))
    # Killed after the result, before its checkpoints were removed: the next run removes them (checked below).
    h.run_to_end(kind, faulted, {"BGM_FAULT": "result-written:abort"}, killed)
    if not glob.glob(os.path.join(stage_dir(out, "train"), "checkpoint.pt*")):
        fail("result-written: expected the checkpoints left behind by the kill")
    proc = h.run_to_end(kind, faulted)
    expect(proc, "already complete", "after result-written")
    compare_outputs(straight_out, out, "placed faults")
    print("placed-faults: PASS (tmp litter, rotation, between stages, ENOSPC, truncated checkpoint, result write, "
          "preempted in the final metrics, checkpoints left after the result)")


def job_lock(h: Harness):
    """Two processes on one job: the second waits, names the holder, takes over when the holder dies by kill -9,
    exits 143 when preempted while waiting, and finds the job complete when the holder finishes."""
    kind = "short"
    straight, straight_out = h.job_file(kind, "straight")
    twice, twice_out = h.job_file(kind, "twice")
    h.run_to_end(kind, straight)
    for holder_fate in ("killed", "waiter preempted", "finishes"):
        first = h.start(h.command(kind, twice))
        while first.poll() is None and not any("starting at epoch" in l or "resuming" in l for _, l in first.lines):
            time.sleep(0.01)
        second = h.start(h.command(kind, twice))
        deadline = time.monotonic() + 60
        while not any("is locked by pid %d" % first.pid in l for _, l in second.lines):
            if time.monotonic() > deadline or second.poll() is not None:
                fail("the second process did not wait naming the holder pid %d:\n%s" % (first.pid, log_text(second)))
            time.sleep(0.01)
        if holder_fate == "killed":
            kill_tree(first, signal.SIGKILL)
            h.finish(first)
            if h.finish(second) != 0:
                fail("the second process failed after the holder died:\n" + log_text(second))
            expect(second, "taking over the lock", "holder killed")
            expect(second, "resuming from", "holder killed")
            compare_outputs(straight_out, twice_out, "lock taken over")
            for stale in glob.glob(os.path.join(twice_out, "runs", "*", "result.json")):
                os.remove(stale)  # run it again for the second fate
        elif holder_fate == "waiter preempted":  # Slurm's SIGTERM reaches a waiting task: it leaves for requeue
            second.send_signal(signal.SIGTERM)
            if h.finish(second) != 128 + signal.SIGTERM:
                fail("a waiting process did not exit 143 on SIGTERM:\n" + log_text(second))
            kill_tree(first, signal.SIGKILL)
            h.finish(first)
        else:
            if h.finish(first) != 0 or h.finish(second) != 0:
                fail("holder or waiter failed:\n%s\n%s" % (log_text(first), log_text(second)))
            expect(second, "already complete", "holder finished")
    other_namespace = pid_namespace_waits(h, kind, twice, twice_out)
    print("job-lock: PASS (waits naming the holder; takes over from a killed holder; a waiter leaves on SIGTERM; "
          "skips a finished job; %s)" % other_namespace)


def pid_namespace_waits(h: Harness, kind, twice, twice_out):
    """A waiter in another pid namespace (a container with its own, `apptainer --pid`) cannot see the holder's pid:
    it must go by the heartbeat, not take a live lock over at once."""
    if subprocess.run(["unshare", "-p", "-f", "--mount-proc", "true"], capture_output=True).returncode != 0:
        return "pid namespace part skipped: unshare -p not permitted here"
    for stale in glob.glob(os.path.join(twice_out, "runs", "*", "result.json")):
        os.remove(stale)
    fast = {"BGM_LOCK_STALE_SECONDS": "4"}  # heartbeat every second, presumed dead after 4 s without one
    first = h.start(h.command(kind, twice), fast)
    while first.poll() is None and not any("starting at epoch" in l or "resuming" in l for _, l in first.lines):
        time.sleep(0.01)
    second = h.start(["unshare", "-p", "-f", "--mount-proc"] + h.command(kind, twice), fast)
    if h.finish(first) != 0 or h.finish(second) != 0:
        fail("holder or waiter in another pid namespace failed:\n%s\n%s" % (log_text(first), log_text(second)))
    if "taking over the lock" in log_text(second):
        fail("a waiter in another pid namespace took over a live lock:\n" + log_text(second))
    expect(second, "is locked by pid %d" % first.pid, "waiter in another pid namespace")
    expect(second, "already complete", "waiter in another pid namespace")
    return "a waiter in another pid namespace waited for the live holder"


def full_disk(h: Harness):
    """A real full file system (a small tmpfs): the job exits non-zero naming the path, the last checkpoint and an
    earlier finished result stay intact, and after space is freed the job ends as the undisturbed run."""
    kind = "short"
    mount = os.path.join(h.work, "tmpfs")
    os.makedirs(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount], capture_output=True).returncode:
        print("full-disk: SKIP (cannot mount a tmpfs here; placed-faults covers ENOSPC through BGM_FAULT)")
        raise SystemExit(77)
    try:
        straight, straight_out = h.job_file(kind, "straight")
        h.run_to_end(kind, straight)
        finished, finished_out = h.job_file(kind, "finished", output=os.path.join(mount, "finished"), seed=1)
        h.run_to_end(kind, finished)
        finished_result = glob.glob(os.path.join(finished_out, "runs", "*", "result.json"))[0]
        with open(finished_result, "rb") as f:
            finished_bytes = f.read()
        job, out = h.job_file(kind, "full", output=os.path.join(mount, "full"))
        proc = h.start(h.command(kind, job))
        while proc.poll() is None and not glob.glob(os.path.join(out, "runs", "*", "checkpoint.pt")):
            time.sleep(0.01)
        subprocess.run(["dd", "if=/dev/zero", "of=" + os.path.join(mount, "filler"), "bs=64k"], capture_output=True)
        rc = h.finish(proc)
        if rc == 0:
            fail("the job finished on a full disk without an error:\n" + log_text(proc))
        expect(proc, "No space left on device", "full tmpfs")
        expect(proc, out, "full tmpfs")
        with open(finished_result, "rb") as f:
            if f.read() != finished_bytes:
                fail("a finished result changed while the disk was full")
        os.remove(os.path.join(mount, "filler"))
        proc = h.run_to_end(kind, job)
        expect(proc, "resuming from", "after the disk was freed")
        compare_outputs(straight_out, out, "full disk")
    finally:
        subprocess.run(["umount", "-l", mount])
    print("full-disk: PASS (exit %d naming the path; checkpoint and finished result intact; resumed identically)" % rc)


SCENARIOS = {"placed-faults": placed_faults, "job-lock": job_lock, "full-disk": full_disk}
