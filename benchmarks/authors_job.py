#!/usr/bin/env python3
"""The whole-job baseline for `make bench-jobs`: one bgm job (its resolved JSON, `bgm run ... --print-job`) run
with the authors' structure, stage by stage, timed the way bgm's result JSON times it (`timing.stage`).

The structure (reference-implementation.md; authors_loop.py has the per-step pieces it reuses): datasets as
numpy arrays behind a torch Dataset with per-sample transforms, a shuffled DataLoader, torch.optim.SGD with the
milestone schedule, Algorithm 1's set C materialized in memory (R zeroed-out copies of every image with random
labels, as the authors' cifar10_dataset.py builds it), the accuracy on C checked every `check_every` epochs, and
train/test accuracy evaluated through DataLoaders every `eval.every` epochs. The toy is their sigmoid MLP with a
summed BCE loss. Same job, same epochs and checks as bgm; random draws are numpy's, not bgm's bits.
usage: authors_job.py JOB.json --stage init|train --w0a FILE [--threads 1]   (prints one JSON object)
  --stage init writes Algorithm 1's W0A to FILE; --stage train starts from it when the job's init is adversarial.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

from authors_loop import Compose, ImageSet, Mlp, PointSet, RandomCrop, RandomHorizontalFlip, ToTensor, ToyMlp

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def idx_file(root, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(root, name)):
            return os.path.join(root, name)
    raise SystemExit(f"authors_job.py: {root}/{stem}[.gz] missing (apt-get install dataset-fashion-mnist)")


def subset(n_wanted, n, seed):
    order = np.random.RandomState(seed).permutation(n)
    return order[:n_wanted] if n_wanted and n_wanted < n else order


def load_data(job):
    ds, seed = job["dataset"], job["seed"]
    if ds["name"] == "fashion-mnist":
        root = ds.get("root") or FASHION_MNIST
        split = {}
        for name, prefix in (("train", "train"), ("test", "t10k")):
            images = read_idx(idx_file(root, f"{prefix}-images-idx3-ubyte"))[..., None]  # HWC, C = 1
            labels = read_idx(idx_file(root, f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
            keep = subset(ds.get(f"{name}_subset", 0), len(images), seed * 2 + (1 if name == "train" else 2))
            split[name] = (images[keep], labels[keep])
        return split, True
    if ds["name"] == "toy-gaussians":
        rng = np.random.RandomState(seed)
        offset = np.array(ds.get("toy_offset", [0, 0]), dtype=np.float32)

        def points(per_class):
            labels = np.repeat([0, 1], per_class).astype(np.float32)
            centers = np.stack([np.where(labels == 1, 1.0, -1.0) * ds["toy_center"], np.zeros_like(labels)], 1)
            return (centers + offset + ds["toy_std"] * rng.standard_normal((2 * per_class, 2))).astype(np.float32), labels

        return {"train": points(ds["toy_points_per_class"]), "test": points(ds["toy_test_points_per_class"])}, False
    raise SystemExit(f"authors_job.py: dataset {ds['name']} is not part of the whole-job benchmark")


class NoisyPoints(Dataset):
    """The toy's DA as a per-sample transform: `copies` noisy copies per point (and the point itself if kept)."""

    def __init__(self, points, labels, copies, std, per_epoch, keep_original, seed):
        self.points, self.labels, self.copies, self.std = points, labels, copies + keep_original, std
        self.per_epoch, self.keep = per_epoch, keep_original
        self.fixed = np.random.RandomState(seed).standard_normal((len(points) * self.copies, 2)).astype(np.float32) * std

    def __len__(self):
        return len(self.points) * self.copies

    def __getitem__(self, index):
        point = index // self.copies
        if self.keep and index % self.copies == 0:
            return self.points[point], self.labels[point]
        noise = np.random.standard_normal(2).astype(np.float32) * self.std if self.per_epoch else self.fixed[index]
        return self.points[point] + noise, self.labels[point]


def algorithm1_set(images, classes, spec, seed):
    """C in memory: R copies of every image, N of each copy's pixels (or values) zeroed, labels uniform."""
    rng = np.random.RandomState(spec["label_seed"] if spec["label_seed"] else seed)
    n, h, w, c = images.shape
    copies = np.repeat(images, spec["R"], axis=0)
    per_pixel = spec["zero_unit"] == "pixel"
    positions = h * w if per_pixel else h * w * c
    zeroed = int(spec["zero_fraction"] * positions)
    for k in range(len(copies)):
        chosen = rng.choice(positions, zeroed, replace=False)
        flat = copies[k].reshape(h * w, c) if per_pixel else copies[k].reshape(-1)
        flat[chosen] = 0
    return copies, rng.randint(0, classes, size=len(copies)).astype(np.int64)


def make_model(job, image, classes):
    torch.manual_seed(job["seed"])
    return Mlp(784, job["model"]["width"] or 256, classes) if image else ToyMlp()


def run_sgd(model, loader, sgd, loss_fn, check, times):
    """Epochs of shuffled batches; `check(epoch, last)` evaluates and says whether to stop (as bgm's hook)."""
    optimizer = torch.optim.SGD(model.parameters(), lr=sgd["lr"], momentum=sgd["momentum"],
                                weight_decay=sgd["weight_decay"])
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, sgd["milestones"], sgd["gamma"])
    stopped, epochs = check(0, sgd["epochs"] == 0), 0
    for epoch in range(1, sgd["epochs"] + 1):
        if stopped:
            break
        start = time.perf_counter()
        model.train()
        train_loss = 0.0
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            train_loss += loss.item()  # the authors' running loss: a sync per step
        scheduler.step()
        times["steps"] += time.perf_counter() - start
        stopped, epochs = check(epoch, epoch == sgd["epochs"]), epoch
    return epochs


def accuracy(model, loader, image):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            hits = out.argmax(1).eq(y) if image else ((out.view(-1) > 0.5).float() == y)
            correct, total = correct + hits.sum().item(), total + len(y)
    return 100.0 * correct / total


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("job")
    p.add_argument("--stage", choices=["init", "train"], required=True)
    p.add_argument("--w0a", required=True)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    job = json.load(open(args.job))
    started = time.perf_counter()
    data, image = load_data(job)
    classes = 10 if image else 2
    (train_x, train_y), (test_x, test_y) = data["train"], data["test"]
    model = make_model(job, image, classes)
    if image:
        loss_fn, to_tensor = nn.CrossEntropyLoss(), Compose([ToTensor()])  # Fashion-MNIST: plain [0,1] pixels
    else:
        bce = nn.BCELoss(reduction="none")
        loss_fn = lambda out, y: bce(out.view(-1), y).sum()  # noqa: E731 (the authors' summed BCE)
    eval_batch = job["eval"]["batch_size"]
    times = {"steps": 0.0, "curve_points": 0.0, "stop_checks": 0.0}

    def timed(kind, fn):
        start = time.perf_counter()
        value = fn()
        times[kind] += time.perf_counter() - start
        return value

    if args.stage == "init":
        spec = job["init"]
        if image:
            c_x, c_y = algorithm1_set(train_x, classes, spec, job["seed"])
            c_set = ImageSet(c_x, c_y, to_tensor)
        else:
            c_set = PointSet(train_x, np.random.RandomState(job["seed"]).randint(0, 2, len(train_x)).astype(np.float32))
        setup = time.perf_counter() - started
        loader = DataLoader(c_set, batch_size=spec["batch_size"], shuffle=True)
        check_loader = DataLoader(c_set, batch_size=eval_batch)

        def check(epoch, last):
            if not (epoch == 0 or last or epoch % spec["check_every"] == 0):
                return False
            acc = timed("stop_checks", lambda: accuracy(model, check_loader, image))
            return epoch > 0 and spec["stop_accuracy"] > 0 and acc >= spec["stop_accuracy"]

        epochs = run_sgd(model, loader, spec, loss_fn, check, times)
        torch.save(model.state_dict(), args.w0a)
    else:
        if job["init"]["kind"] == "adversarial":
            model.load_state_dict(torch.load(args.w0a))
        train, aug = job["train"], job["augment"]
        if not train["augment"]:
            train_set = ImageSet(train_x, train_y, to_tensor) if image else PointSet(train_x, train_y)
        elif image:
            pad = aug["crop_padding"]
            crop = [RandomCrop(train_x.shape[1], pad)] if pad else []
            flip = [RandomHorizontalFlip()] if aug["flip"] else []
            train_set = ImageSet(train_x, train_y, Compose(crop + flip + [ToTensor()]))
        else:
            train_set = NoisyPoints(train_x, train_y, aug["noise_copies"], aug["noise_std"], aug["noise_per_epoch"],
                                    aug["noise_keep_original"], job["seed"])
        clean = ImageSet(train_x, train_y, to_tensor) if image else PointSet(train_x, train_y)
        test = ImageSet(test_x, test_y, to_tensor) if image else PointSet(test_x, test_y)
        eval_loaders = [DataLoader(s, batch_size=eval_batch) for s in (clean, test)]
        setup = time.perf_counter() - started

        def check(epoch, last):
            curve = epoch == 0 or last or epoch % job["eval"]["every"] == 0
            if not curve and not (train["stop_accuracy"] > 0 and epoch % train["check_every"] == 0):
                return False
            acc = timed("curve_points" if curve else "stop_checks",
                        lambda: [accuracy(model, loader, image) for loader in (eval_loaders if curve else eval_loaders[:1])])
            return epoch > 0 and train["stop_accuracy"] > 0 and acc[0] >= train["stop_accuracy"]

        epochs = run_sgd(model, DataLoader(train_set, batch_size=train["batch_size"], shuffle=True), train, loss_fn,
                         check, times)
    total = time.perf_counter() - started
    print(json.dumps({"stage": args.stage, "epochs": epochs, "seconds": total, "setup": setup,
                      "breakdown": dict(times, other=max(0.0, total - setup - sum(times.values())))}))


if __name__ == "__main__":
    main()
