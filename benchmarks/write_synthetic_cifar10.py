#!/usr/bin/env python3
"""Writes random CIFAR-10 files in the official binary format (1 label byte + 3072 pixel bytes per record;
data_batch_1..5.bin of 10,000 records, test_batch.bin, batches.meta.txt) into DIR, for GPU benchmarks where the
real files are absent. Seeded: the same bytes every time.
usage: write_synthetic_cifar10.py DIR [RECORDS_PER_FILE]"""
import os
import random
import sys

folder = sys.argv[1]
records = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
os.makedirs(folder, exist_ok=True)
rng = random.Random(0)
for name in ["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]:
    with open(os.path.join(folder, name), "wb") as f:
        for _ in range(records):
            f.write(bytes([rng.randrange(10)]) + rng.randbytes(3072))
with open(os.path.join(folder, "batches.meta.txt"), "w") as f:
    f.write("\n".join(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]) + "\n")
