// CIFAR-10 and CIFAR-100 in their official binary versions (cifar-10-batches-bin, cifar-100-binary).
#pragma once
#include <string>

#include "data/raw_dataset.h"

namespace bgm {

// ROOT is the cifar-10-batches-bin folder (or its parent): data_batch_1..5.bin and test_batch.bin,
// records of 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B, rows top to bottom).
// first_train > 0: read only the batch files that hold the first first_train training records (a job with
// subset_pick "first" and train_subset <= 10,000 needs data_batch_1.bin alone); 0: all five.
RawDataset read_cifar10(const std::string& root, int64_t first_train = 0);
// ROOT is the cifar-100-binary folder (or its parent): train.bin and test.bin, records of a coarse and a
// fine label byte + 3072 pixel bytes. The fine labels (100 classes) are the paper's CIFAR-100 task.
RawDataset read_cifar100(const std::string& root);

}  // namespace bgm
