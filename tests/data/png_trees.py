#!/usr/bin/env python3
"""Tiny 32x32 RGB PNGs, and folders of them in the layouts `bgm prepare` reads.

cifar10 OUT   OUT/train/<i>_<class>.png (50,000) and OUT/test/<i>_<class>.png (10,000), CIFAR-10's counts, all hard
              links to one image (bgm prepare cifar10 needs the full counts; the links make them cheap)
cinic10 OUT   OUT/{train,valid,test}/<class>/<split>-<i>.png, one image per class and split
usage: png_trees.py cifar10|cinic10 OUT   (make_archives.py imports png())
"""
import os
import struct
import sys
import zlib

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def png(width, height, rgb):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def cinic10_members():
    """(relative path, PNG bytes) of the small CINIC-10 tree."""
    return [(f"{split}/{c}/{split}-{i}.png", png(32, 32, (10 * i, 20 + i, 5 * i)))
            for split in ("train", "valid", "test") for i, c in enumerate(CLASSES)]


def write_cifar10(out):
    image = os.path.join(out, "image.png")
    os.makedirs(out, exist_ok=True)
    with open(image, "wb") as f:
        f.write(png(32, 32, (1, 2, 3)))
    for split, count in (("train", 50000), ("test", 10000)):
        os.makedirs(os.path.join(out, split))
        for i in range(count):
            os.link(image, os.path.join(out, split, f"{i}_{CLASSES[i % 10]}.png"))
    os.remove(image)


def write_cinic10(out):
    for name, data in cinic10_members():
        os.makedirs(os.path.dirname(os.path.join(out, name)), exist_ok=True)
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    kind, out = sys.argv[1:3]
    {"cifar10": write_cifar10, "cinic10": write_cinic10}[kind](out)
