#!/usr/bin/env python3
"""Small archives in the official layouts bgm fetch downloads, and a catalogue (JSON) describing them.

cifar-10-binary.tar.gz   cifar-10-batches-bin/{data_batch_1..5.bin, test_batch.bin, batches.meta.txt, readme.html}
cifar-100-binary.tar.gz  cifar-100-binary/{train.bin, test.bin, coarse_label_names.txt, fine_label_names.txt}
CINIC-10.tar.gz          {train,valid,test}/<class>/*.png, 32x32 RGB PNGs, no top-level folder (as distributed)
The binary files hold RECORDS records each (the official ones 10000/50000); labels cycle through the classes.
usage: make_archives.py OUT_DIR BASE_URL [RECORDS]   (writes the archives and OUT_DIR/catalog.json with their
checksums; RECORDS defaults to 4)
"""
import hashlib
import io
import json
import os
import sys
import tarfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from png_trees import CLASSES, cinic10_members  # noqa: E402

out, base_url = sys.argv[1:3]
RECORDS = int(sys.argv[3]) if len(sys.argv) > 3 else 4


def md5(data):
    return hashlib.md5(data).hexdigest()


def tar_gz(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))


def records(count, label_bytes, seed):
    data = bytearray()
    for i in range(count):
        data += bytes((seed + i + k) % 10 for k in range(label_bytes))
        data += bytes((seed * 31 + i * 7 + p) % 256 for p in range(3072))
    return bytes(data)


catalog = {}
cifar10 = [(f"data_batch_{b}.bin", records(RECORDS, 1, b)) for b in range(1, 6)] + [("test_batch.bin", records(RECORDS, 1, 9))]
tar_gz(os.path.join(out, "cifar-10-binary.tar.gz"),
       [("cifar-10-batches-bin/" + n, d) for n, d in cifar10] +
       [("cifar-10-batches-bin/batches.meta.txt", "\n".join(CLASSES).encode()), ("cifar-10-batches-bin/readme.html", b"<html/>")])
cifar100 = [("train.bin", records(RECORDS, 2, 1)), ("test.bin", records(RECORDS, 2, 2))]
tar_gz(os.path.join(out, "cifar-100-binary.tar.gz"),
       [("cifar-100-binary/" + n, d) for n, d in cifar100] +
       [("cifar-100-binary/coarse_label_names.txt", b"c\n"), ("cifar-100-binary/fine_label_names.txt", b"f\n")])
tar_gz(os.path.join(out, "CINIC-10.tar.gz"), cinic10_members())


def entry(name, archive, fmt, target, **extra):
    data = open(os.path.join(out, archive), "rb").read()
    catalog[name] = dict(format=fmt, archive=archive, url=f"{base_url}/ok/{archive}", md5=md5(data),
                         sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), target=target, **extra)


entry("cifar10", "cifar-10-binary.tar.gz", "cifar10-binary", "cifar-10-batches-bin", archive_root="cifar-10-batches-bin",
      files=[dict(path=n, records=RECORDS, md5=md5(d)) for n, d in cifar10])
entry("cifar100", "cifar-100-binary.tar.gz", "cifar100-binary", "cifar-100-binary", archive_root="cifar-100-binary",
      files=[dict(path=n, records=RECORDS) for n, d in cifar100])
entry("cinic10", "CINIC-10.tar.gz", "cinic10-folders", "cinic10.bgmpack", images="CINIC-10", train=10, test=10)
catalog["restricted-imagenet"] = dict(format="manual", target="restricted-imagenet.bgmpack",
                                      manual=["bgm prepare restricted-imagenet --src DIR --paper-size"])
with open(os.path.join(out, "catalog.json"), "w") as f:
    json.dump(catalog, f, indent=2)
