#!/usr/bin/env python3
"""Helpers of benchmarks/gpu-check.sh (python3 standard library only).

  synth-cifar10 DIR TRAIN TEST          official CIFAR-10 binary files under DIR/cifar-10-batches-bin
  synth-fashion-mnist DIR TRAIN TEST    IDX files (uncompressed) under DIR
  check RESULT [--device D] [--ranks N] [--backend B] [--precision P] [--adversarial]
                                        a train result (and its adversarial-init result) is sane; prints key numbers
  resume STRAIGHT RESUMED [OTHER]       two output folders hold the same results (all but wall-clock fields) and the
                                        same weight bytes; OTHER, a second undisturbed run, tells GPU nondeterminism apart
  reuse FIRST SECOND LOG SHA_BEFORE     SECOND reused FIRST's adversarial init: same key, log says so, W0A untouched

Each check prints one line (the table's "key numbers", or what is wrong) and exits 0 when it passed, 1 when not.
"""
import glob
import hashlib
import json
import math
import os
import random
import struct
import sys

SCHEMA = "bgm-result/1"
WALL_CLOCK = ("seconds", "images_per_s")  # per curve row; as tests/faults/harness_lib.py


# ---------------------------------------------------------------- synthetic data

def _images(rng, count, size, labels, step):
    """Random pixels whose brightness depends on the class, so a model can learn something in two epochs."""
    tables = [bytes(min(255, v // 2 + step * c) for v in range(256)) for c in range(10)]
    return [rng.randbytes(size).translate(tables[label]) for label in labels[:count]]


def synth_cifar10(root, train, test):
    folder = os.path.join(root, "cifar-10-batches-bin")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(20170601)
    per_batch = max(1, -(-train // 5))
    files = [("data_batch_%d.bin" % b, per_batch) for b in range(1, 6)] + [("test_batch.bin", max(1, test))]
    for name, count in files:
        labels = [rng.randrange(10) for _ in range(count)]
        with open(os.path.join(folder, name + ".tmp"), "wb") as f:
            for label, pixels in zip(labels, _images(rng, count, 3072, labels, 12)):
                f.write(bytes([label]) + pixels)
        os.replace(os.path.join(folder, name + ".tmp"), os.path.join(folder, name))
    print(folder)


def synth_fashion_mnist(root, train, test):
    os.makedirs(root, exist_ok=True)
    rng = random.Random(20170602)
    for prefix, count in (("train", train), ("t10k", test)):
        labels = [rng.randrange(10) for _ in range(count)]
        with open(os.path.join(root, prefix + "-images-idx3-ubyte"), "wb") as f:
            f.write(struct.pack(">IIII", 0x00000803, count, 28, 28))
            for pixels in _images(rng, count, 784, labels, 12):
                f.write(pixels)
        with open(os.path.join(root, prefix + "-labels-idx1-ubyte"), "wb") as f:
            f.write(struct.pack(">II", 0x00000801, count) + bytes(labels))
    print(root)


# ---------------------------------------------------------------- checks

class Problems(list):
    def need(self, ok, what):
        if not ok:
            self.append(what)
        return ok


def finite(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def accuracy_ok(x):
    # Result accuracies are percent (README "Result JSON"): [0, 100].
    return finite(x) and 0.0 <= x <= 100.0


def load(path):
    with open(path) as f:
        return json.load(f)


def check_envelope(r, kind, p, where, device=None, ranks=None, backend=None):
    p.need(r.get("schema") == SCHEMA, "%s: schema %r, expected %r" % (where, r.get("schema"), SCHEMA))
    p.need(r.get("kind") == kind, "%s: kind %r, expected %r" % (where, r.get("kind"), kind))
    p.need(r.get("status") == "complete", "%s: status %r" % (where, r.get("status")))
    hw = r.get("hardware", {})
    if device:
        p.need(str(hw.get("device", "")).startswith(device),
               "%s: ran on %r, expected %s" % (where, hw.get("device"), device))
    if ranks:
        p.need(hw.get("ranks") == ranks, "%s: %r ranks, expected %d" % (where, hw.get("ranks"), ranks))
    if backend:
        p.need(hw.get("backend") == backend, "%s: backend %r, expected %r" % (where, hw.get("backend"), backend))
    for i, row in enumerate(r.get("curve") or []):
        for key in ("train_acc", "test_acc"):
            if key in row:
                p.need(accuracy_ok(row[key]), "%s: curve[%d].%s = %r, not in [0, 100]" % (where, i, key, row[key]))
        for key in ("train_loss", "test_loss"):
            if key in row:
                p.need(finite(row[key]), "%s: curve[%d].%s = %r (diverged?)" % (where, i, key, row[key]))
    p.need(bool(r.get("curve")), "%s: empty curve" % where)


def check_norms(norms, p, where, notes):
    """frobenius and spectral_log10 must be finite; a null l1_path, l2_path or spectral is an overflow of a double
    (README "Complexity norms"), accepted and noted when the weights are finite."""
    if not p.need(isinstance(norms, dict) and norms, "%s: no norms" % where):
        return
    for key in ("frobenius", "spectral_log10"):
        p.need(finite(norms.get(key)), "%s.%s = %r, not finite" % (where, key, norms.get(key)))
    for key in ("l1_path", "l2_path", "spectral"):
        v = norms.get(key, "missing")
        if v is None:
            notes.add("%s overflowed (null)" % key)
        else:
            p.need(finite(v) and v >= 0, "%s.%s = %r, not finite" % (where, key, v))


def check_distance(d, p, where):
    p.need(isinstance(d, dict) and "params" in d and "state" in d, "%s: %r, expected {params, state}" % (where, d))
    if isinstance(d, dict):
        for key in ("params", "state"):
            p.need(finite(d.get(key)) and d.get(key) >= 0, "%s.%s = %r, not finite" % (where, key, d.get(key)))


def check(argv):
    path, opts = argv[0], argv[1:]
    device = opts[opts.index("--device") + 1] if "--device" in opts else None
    ranks = int(opts[opts.index("--ranks") + 1]) if "--ranks" in opts else None
    precision = opts[opts.index("--precision") + 1] if "--precision" in opts else None
    backend = opts[opts.index("--backend") + 1] if "--backend" in opts else None
    adversarial = "--adversarial" in opts
    p, notes = Problems(), set()
    if not os.path.exists(path):
        print("no result: %s" % path)
        return 1
    r = load(path)
    check_envelope(r, "train", p, "result", device, ranks, backend)
    job = r.get("job", {})
    if precision:
        p.need(job.get("precision") == precision, "job.precision %r, expected %r" % (job.get("precision"), precision))
    final = r.get("final", {})
    for key in ("train_acc", "test_acc"):
        p.need(accuracy_ok(final.get(key)), "final.%s = %r, not in [0, 100]" % (key, final.get(key)))
    m = r.get("metrics") or {}
    dist = m.get("distance") or {}
    for key in ("init_final", "w0r_final") + (("w0r_w0a",) if adversarial else ()):
        check_distance(dist.get(key), p, "metrics.distance." + key)
    norms = m.get("norms") or {}
    check_norms(norms.get("init"), p, "metrics.norms.init", notes)
    check_norms(norms.get("final"), p, "metrics.norms.final", notes)
    for i, row in enumerate(r.get("curve") or []):
        check_norms(row.get("norms"), p, "curve[%d].norms" % i, notes)
    fgsm = m.get("fgsm") or {}
    eps, acc = fgsm.get("eps") or [], fgsm.get("accuracy") or []
    if p.need(len(eps) == len(job.get("eval", {}).get("fgsm_eps", [])) and len(eps) == len(acc) and eps,
              "metrics.fgsm: %d eps and %d accuracies, the job asked for %d" %
              (len(eps), len(acc), len(job.get("eval", {}).get("fgsm_eps", [])))):
        for e, a in zip(eps, acc):
            p.need(accuracy_ok(a), "metrics.fgsm accuracy at eps %r = %r, not in [0, 100]" % (e, a))
    adv_numbers = ""
    if adversarial:
        init = r.get("init", {})
        ap = init.get("adversarial_result")
        beside = path[:-len(".json")] + ".adversarial-init.json"  # gpu-check.sh's copy, once the scratch folder is gone
        if not (ap and os.path.exists(ap)) and os.path.exists(beside):
            ap = beside
        if p.need(init.get("kind") == "adversarial" and ap and os.path.exists(ap),
                  "init.adversarial_result %r missing" % ap):
            a = load(ap)
            check_envelope(a, "adversarial-init", p, "adversarial-init result", device, ranks, backend)
            p.need(a.get("job_id") == init.get("adversarial_key"), "adversarial-init job_id differs from init.adversarial_key")
            af = a.get("final", {})
            p.need(accuracy_ok(af.get("accuracy_on_c")), "adversarial-init final.accuracy_on_c = %r" % af.get("accuracy_on_c"))
            p.need(finite(af.get("loss_on_c")), "adversarial-init final.loss_on_c = %r (diverged?)" % af.get("loss_on_c"))
            an = (a.get("metrics") or {}).get("norms") or {}
            check_norms(an.get("final"), p, "adversarial-init metrics.norms.final", notes)
            check_distance(((a.get("metrics") or {}).get("distance") or {}).get("w0r_w0a"), p,
                           "adversarial-init metrics.distance.w0r_w0a")
            adv_numbers = "on C %s (%s ep, %s), " % (pct(af.get("accuracy_on_c")), af.get("epochs"), af.get("set_storage"))
    if p:
        print("; ".join(p[:4]) + (" (+%d more)" % (len(p) - 4) if len(p) > 4 else ""))
        return 1
    fin = norms.get("final", {})
    curve = r.get("curve") or []
    speeds = [row["images_per_s"] for row in curve if finite(row.get("images_per_s")) and row.get("epoch", 0) > 0]
    fg = dict(zip(eps, acc))
    worst = max(eps)
    hw = r.get("hardware", {})
    out = ("%stest %s, train %s, d(init,final) %.3g, frobenius %.4g, spectral_log10 %.3g, FGSM %d/255 %s, %s img/s, %s"
           % (adv_numbers, pct(final["test_acc"]), pct(final["train_acc"]), dist["init_final"]["params"],
              fin["frobenius"], fin["spectral_log10"], round(worst * 255), pct(fg[worst]),
              "%.0f" % (sum(speeds) / len(speeds)) if speeds else "-", hw.get("device")))
    if ranks:
        out += " x%d %s" % (hw.get("ranks"), hw.get("backend"))
    if notes:
        out += "; " + ", ".join(sorted(notes))
    print(out)
    return 0


def pct(x):
    return "%.1f%%" % x if finite(x) else repr(x)


# ---------------------------------------------------------------- kill and resume

def results(output):
    """{kind: (result, weights path)} of an output folder (runs/ and adversarial-init/)."""
    out = {}
    for path in glob.glob(os.path.join(output, "*", "*", "result.json")):
        r = load(path)
        out[r["kind"]] = (r, os.path.join(os.path.dirname(path), "w0a.pt" if r["kind"] == "adversarial-init" else "final.pt"))
    return out


def comparable(r):
    curve = [{k: v for k, v in row.items() if k not in WALL_CLOCK} for row in r.get("curve", [])]
    return json.loads(json.dumps({"curve": curve, "final": r.get("final"), "metrics": r.get("metrics")}))


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def differences(a, b):
    """What differs between two output folders: a list of strings, empty when equal."""
    ra, rb = results(a), results(b)
    if sorted(ra) != sorted(rb):
        return ["results %s vs %s" % (sorted(rb), sorted(ra))]
    out = []
    for kind in sorted(ra):
        (r0, w0), (r1, w1) = ra[kind], rb[kind]
        if sha(w0) != sha(w1):
            out.append("%s weights differ" % kind)
        c0, c1 = comparable(r0), comparable(r1)
        for key in c0:
            if c0[key] != c1[key]:
                out.append("%s %s differs" % (kind, key))
    return out


def max_rel_diff(a, b):
    """The largest relative difference between matching numbers of two comparable results."""
    worst = 0.0
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, dict) and isinstance(y, dict):
            stack.extend((x[k], y[k]) for k in x if k in y)
        elif isinstance(x, list) and isinstance(y, list):
            stack.extend(zip(x, y))
        elif finite(x) and finite(y) and x != y:
            worst = max(worst, abs(x - y) / max(abs(x), abs(y), 1e-12))
    return worst


def resume(argv):
    straight, resumed = argv[0], argv[1]
    other = argv[2] if len(argv) > 2 else None
    ra = results(straight)
    if "train" not in ra:
        print("the undisturbed run left no train result")
        return 1
    diff = differences(straight, resumed)
    r = ra["train"][0]
    summary = "test %s after %s epochs" % (pct(r["final"]["test_acc"]), r["final"]["epochs"])
    if not diff:
        print("identical to the undisturbed run (curve, final, metrics, weight bytes); " + summary)
        return 0
    rr = results(resumed).get("train")
    rel = max_rel_diff(comparable(r), comparable(rr[0])) if rr else float("nan")
    msg = "differs from the undisturbed run: %s; max relative difference %.2g" % (", ".join(diff[:3]), rel)
    if other:
        d2 = differences(straight, other)
        if d2:
            ro = results(other).get("train")
            rel2 = max_rel_diff(comparable(r), comparable(ro[0])) if ro else float("nan")
            msg += "; two undisturbed runs differ too (max relative difference %.2g): the device is not deterministic" % rel2
        else:
            msg += "; two undisturbed runs are identical, so the resume changed the result"
    print(msg)
    return 1


# ---------------------------------------------------------------- adversarial init reused

def reuse(argv):
    first, second, log, sha_before = argv
    p = Problems()
    r1, r2 = load(first), load(second)
    i1, i2 = r1.get("init", {}), r2.get("init", {})
    p.need(i1.get("adversarial_key") and i1.get("adversarial_key") == i2.get("adversarial_key"),
           "adversarial keys differ: %r vs %r" % (i1.get("adversarial_key"), i2.get("adversarial_key")))
    p.need(i1.get("adversarial_result") == i2.get("adversarial_result"), "the jobs point at different adversarial-init results")
    p.need(r1.get("job", {}).get("mode") != r2.get("job", {}).get("mode"), "the two jobs have the same mode")
    with open(log) as f:
        text = f.read()
    p.need("[adversarial-init] reusing" in text, "the second job's log does not say '[adversarial-init] reusing'")
    p.need("[adversarial-init] starting" not in text and "[adversarial-init] resuming" not in text,
           "the second job trained the adversarial init again")
    ap = i2.get("adversarial_result") or ""
    p.need(os.path.exists(ap) and sha(ap) == sha_before, "the adversarial-init result changed while the second job ran")
    # The reusing job copies w0r_w0a from the stored adversarial-init result; Boost.JSON 1.81's parser is not
    # correctly rounded, so the copy may differ from the value the first job kept in memory in the last bit.
    d1 = (r1.get("metrics") or {}).get("distance", {}).get("w0r_w0a")
    d2 = (r2.get("metrics") or {}).get("distance", {}).get("w0r_w0a")
    same = isinstance(d1, dict) and isinstance(d2, dict) and sorted(d1) == sorted(d2) and all(
        finite(d1[k]) and finite(d2[k]) and abs(d1[k] - d2[k]) <= 1e-12 * max(abs(d1[k]), abs(d2[k])) for k in d1)
    p.need(same, "metrics.distance.w0r_w0a differs: %r vs %r" % (d1, d2))
    if p:
        print("; ".join(p))
        return 1
    print("%s and %s from one W0A (key %s, W0A not retrained, w0r_w0a %s): %s vs %s test" % (
        r1["job"]["mode"], r2["job"]["mode"], i1["adversarial_key"][:8],
        "identical" if d1 == d2 else "equal to 1e-12, not bit for bit", pct(r1["final"]["test_acc"]),
        pct(r2["final"]["test_acc"])))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "synth-cifar10":
        synth_cifar10(args[0], int(args[1]), int(args[2]))
        return 0
    if cmd == "synth-fashion-mnist":
        synth_fashion_mnist(args[0], int(args[1]), int(args[2]))
        return 0
    if cmd == "sha256":
        print(sha(args[0]))
        return 0
    handlers = {"check": check, "resume": resume, "reuse": reuse}
    if cmd not in handlers:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return handlers[cmd](args)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:  # a malformed result is a failed check
        print("%s: %s: %s" % (cmd, type(e).__name__, e))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
