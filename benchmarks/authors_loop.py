#!/usr/bin/env python3
"""The baseline for `bgm bench`: the authors' training-loop structure, written for current PyTorch.

CIFAR scripts (reference-implementation.md, BGM:cifar10/*): a Dataset holding HWC uint8 images whose
__getitem__ applies torchvision-style per-sample transforms (RandomCrop(32, padding=4), RandomHorizontalFlip,
ToTensor, Normalize), a DataLoader with 4 workers, batch 128, shuffled, CrossEntropyLoss (mean) and
torch.optim.SGD(lr 0.1, momentum 0.9, weight decay 5e-4). torchvision is not installed with Debian's
python3-torch (nor PIL), so the transforms are re-implemented per sample in numpy/torch as torchvision does them.
Toy (TOY:src_b00/pre_train.py): 2-100-100-1 sigmoid MLP, BCELoss summed, batch-10 SGD over 100 points from a
shuffled DataLoader, evaluated on the train and test points after every epoch.

Synthetic data of the dataset's shape (costs do not depend on pixel values). Prints one JSON object.
Run with /usr/bin/python3 (Debian's torch) on CPU, or any torch with --device cuda.
"""
import argparse
import contextlib
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

SHAPES = {  # name: (channels, height, width, classes, train, test, crop padding)
    "cifar10": (3, 32, 32, 10, 50000, 10000, 4),
    "fashion-mnist": (1, 28, 28, 10, 60000, 10000, 2),
}
CIFAR_MEAN, CIFAR_STD = (0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)  # the authors' constants


# ---- per-sample transforms, as torchvision applies them one image at a time -------------------------------
class RandomCrop:
    def __init__(self, size, padding):
        self.size, self.padding = size, padding

    def __call__(self, img):  # HWC uint8, zero padding as torchvision's fill=0
        p = self.padding
        img = np.pad(img, ((p, p), (p, p), (0, 0)), mode="constant")
        h, w = img.shape[:2]
        i = int(torch.randint(0, h - self.size + 1, size=(1,)).item())
        j = int(torch.randint(0, w - self.size + 1, size=(1,)).item())
        return img[i:i + self.size, j:j + self.size]


class RandomHorizontalFlip:
    def __call__(self, img):
        if torch.rand(1) < 0.5:
            return img[:, ::-1]
        return img


class ToTensor:
    def __call__(self, img):  # HWC uint8 -> CHW float in [0, 1]
        t = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1).contiguous()
        return t.float().div(255)


class Normalize:
    def __init__(self, mean, std):
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)

    def __call__(self, t):
        return t.sub_(self.mean).div_(self.std)


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x


class ImageSet(Dataset):
    """Like torchvision.datasets.CIFAR10: numpy HWC uint8 images, int labels, a per-sample transform."""

    def __init__(self, images, labels, transform):
        self.data, self.targets, self.transform = images, labels, transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.transform(self.data[index]), int(self.targets[index])


class PointSet(Dataset):
    def __init__(self, points, labels):
        self.points, self.labels = points, labels

    def __len__(self):
        return len(self.points)

    def __getitem__(self, index):
        return self.points[index], self.labels[index]


# ---- the models, re-declared as in the authors' code (kuangliu CIFAR variants) ----------------------------
class Mlp(nn.Module):
    def __init__(self, features, width, classes):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(features, width), nn.Linear(width, width), nn.Linear(width, classes)

    def forward(self, x):
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc3(F.relu(self.fc2(x)))


class ToyMlp(nn.Module):  # TOY:model/model.py
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 1),
                                 nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet18(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.in_planes = 64
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.layer1 = self._make_layer(64, 2, 1)
        self.layer2 = self._make_layer(128, 2, 2)
        self.layer3 = self._make_layer(256, 2, 2)
        self.layer4 = self._make_layer(512, 2, 2)
        self.linear = nn.Linear(512, classes)

    def _make_layer(self, planes, blocks, stride):
        layers = []
        for s in [stride] + [1] * (blocks - 1):
            layers.append(BasicBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        out = F.avg_pool2d(out, 4).flatten(1)
        return self.linear(out)


def cycle(loader):
    """Epoch after epoch, as the authors' `for epoch ...: for inputs, targets in trainloader` (workers restart)."""
    while True:
        for batch in loader:
            yield batch


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def bench_images(args, device):
    c, h, w, classes, n_train, n_test, padding = SHAPES[args.dataset]
    gen = np.random.default_rng(0)
    train_images = gen.integers(0, 256, size=(n_train, h, w, c), dtype=np.uint8)
    test_images = gen.integers(0, 256, size=(args.eval_images or n_test, h, w, c), dtype=np.uint8)
    train_labels = gen.integers(0, classes, size=n_train)
    test_labels = gen.integers(0, classes, size=len(test_images))
    mean, std = (CIFAR_MEAN, CIFAR_STD) if c == 3 else ((0.2860,), (0.3530,))
    augment = [RandomCrop(h, padding), RandomHorizontalFlip()] if args.augment else []
    train_set = ImageSet(train_images, train_labels, Compose(augment + [ToTensor(), Normalize(mean, std)]))
    test_set = ImageSet(test_images, test_labels, Compose([ToTensor(), Normalize(mean, std)]))
    train_loader = DataLoader(train_set, batch_size=args.batch, shuffle=True, num_workers=args.workers)
    test_loader = DataLoader(test_set, batch_size=args.eval_batch, shuffle=False, num_workers=args.workers)

    torch.manual_seed(0)
    model = (ResNet18(classes) if args.model == "resnet18" else Mlp(c * h * w, args.width, classes)).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)

    model.train()
    batches = cycle(train_loader)
    autocast = precision_context(args.precision, device)

    def train_step():
        inputs, targets = next(batches)
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        with autocast():
            loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
        return loss.item()  # the authors accumulate train_loss += loss.item() (a sync per step)

    for _ in range(args.warmup):
        train_step()
    sync(device)
    start = time.perf_counter()
    for _ in range(args.steps):
        train_step()
    sync(device)
    train_seconds = time.perf_counter() - start

    def evaluate():
        model.eval()
        correct = 0
        with torch.no_grad(), autocast():
            for inputs, targets in test_loader:
                inputs, targets = inputs.to(device), targets.to(device)
                outputs = model(inputs)
                criterion(outputs, targets).item()
                correct += outputs.max(1)[1].eq(targets).sum().item()
        model.train()
        return correct

    evaluate()  # warm-up (workers, allocator)
    start = time.perf_counter()
    evaluate()
    sync(device)
    eval_seconds = time.perf_counter() - start
    result = {
        "train": {"steps": args.steps, "seconds": train_seconds,
                  "images_per_s": args.steps * args.batch / train_seconds,
                  "steps_per_s": args.steps / train_seconds, "ms_per_step": 1000 * train_seconds / args.steps},
        "eval": {"images": len(test_set), "batch": args.eval_batch, "seconds": eval_seconds,
                 "images_per_s": len(test_set) / eval_seconds},
    }
    if args.count_flops:
        result["train"]["flops_per_image"] = training_flops_per_image(model, criterion, (c, h, w), device)
    return result


def precision_context(precision, device):
    """fp32 (no TF32 anywhere), tf32 (TF32 matmuls and convolutions) or bf16 (autocast, as bgm's --precision)."""
    if precision != "fp32" and device.type != "cuda":
        raise SystemExit(f"--precision {precision}: only on CUDA")
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = precision == "tf32"
    if precision == "bf16":
        return lambda: torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext


def training_flops_per_image(model, criterion, shape, device):
    """FLOPs of one training step (forward + backward) per image, by torch's FlopCounterMode (matmuls and
    convolutions only, which is what the GPU's peak rate is quoted for)."""
    from torch.utils.flop_counter import FlopCounterMode
    batch = 8
    inputs = torch.zeros((batch,) + tuple(shape), device=device)
    targets = torch.zeros(batch, dtype=torch.long, device=device)
    with FlopCounterMode(display=False) as counter:
        criterion(model(inputs), targets).backward()
    model.zero_grad()
    return counter.get_total_flops() / batch


def bench_toy(args, device):
    """Fig. 1b's random-label stage: batch-10 SGD on 100 points, evaluation on train and test every epoch."""
    gen = np.random.default_rng(137)
    centers = np.array([[0.85, 0.20]] * 50 + [[-0.45, 0.20]] * 50, dtype=np.float32)
    train_points = (centers + 0.15 * gen.standard_normal((100, 2))).astype(np.float32)
    test_points = (centers + 0.15 * gen.standard_normal((100, 2))).astype(np.float32)
    random_labels = gen.integers(0, 2, size=100).astype(np.float32)
    test_labels = np.array([1.0] * 50 + [0.0] * 50, dtype=np.float32)
    train_loader = DataLoader(PointSet(train_points, random_labels), batch_size=args.batch, shuffle=True)
    eval_loaders = [DataLoader(PointSet(p, l), batch_size=100) for p, l in
                    ((train_points, random_labels), (test_points, test_labels))]
    torch.manual_seed(137)
    model = ToyMlp().to(device)
    criterion = nn.BCELoss(reduction="none")  # the authors' BCELoss(reduce=False) then .sum()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.003)

    def epoch():
        model.train()
        train_loss = 0.0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = criterion(model(x).view(-1), y).sum()
            loss.backward()
            optimizer.step()
            train_loss += loss.item()
        return train_loss

    def evaluate():
        model.eval()
        with torch.no_grad():
            for loader in eval_loaders:
                for x, y in loader:
                    out = model(x.to(device)).view(-1)
                    criterion(out, y.to(device)).sum().item()
                    ((out > 0.5).float() == y.to(device)).float().mean().item()

    steps_per_epoch = len(train_loader)
    epochs = max(1, args.steps // steps_per_epoch)
    for _ in range(max(1, args.warmup // steps_per_epoch)):
        epoch()
        evaluate()
    train_seconds = total_seconds = 0.0
    for _ in range(epochs):
        start = time.perf_counter()
        epoch()
        middle = time.perf_counter()
        evaluate()
        train_seconds += middle - start
        total_seconds += time.perf_counter() - start
    steps = epochs * steps_per_epoch
    return {
        "train": {"steps": steps, "seconds": train_seconds, "images_per_s": steps * args.batch / train_seconds,
                  "steps_per_s": steps / train_seconds, "ms_per_step": 1000 * train_seconds / steps},
        "stage": {"epochs": epochs, "steps": steps, "seconds": total_seconds, "steps_per_s": steps / total_seconds,
                  "what": "training steps plus the per-epoch evaluation on train and test points"},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, choices=["mlp", "resnet18", "toy-mlp"])
    p.add_argument("--dataset", required=True, choices=sorted(SHAPES) + ["toy-gaussians"])
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--augment", action="store_true", help="RandomCrop + RandomHorizontalFlip (the authors' DA)")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--width", type=int, default=256, help="mlp hidden width (bgm's default)")
    p.add_argument("--eval-batch", type=int, default=100)
    p.add_argument("--eval-images", type=int, default=0, help="evaluate on this many test images (0: all)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", default="fp32", choices=["fp32", "tf32", "bf16"], help="CUDA only, as bgm bench's")
    p.add_argument("--cudnn-benchmark", action="store_true", help="torch.backends.cudnn.benchmark = True, as the "
                   "authors' main.py sets on CUDA")
    p.add_argument("--count-flops", action="store_true", help="also count training FLOPs per image (torch >= 2.1)")
    p.add_argument("--json", help="also write the JSON here")
    args = p.parse_args()
    if (args.model == "toy-mlp") != (args.dataset == "toy-gaussians"):
        p.error("toy-mlp goes with toy-gaussians, and only with it")
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    result = bench_toy(args, device) if args.model == "toy-mlp" else bench_images(args, device)
    result.update({"tool": "benchmarks/authors_loop.py", "model": args.model, "dataset": args.dataset,
                   "batch": args.batch, "augment": args.augment, "workers": args.workers, "device": str(device),
                   "threads": torch.get_num_threads(), "torch_version": torch.__version__, "data": "synthetic",
                   "precision": args.precision, "cudnn_benchmark": args.cudnn_benchmark})
    if device.type == "cuda":
        result["device_name"] = torch.cuda.get_device_name(device)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
