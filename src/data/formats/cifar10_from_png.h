// CIFAR-10 rebuilt from a lossless PNG copy into the official binary version (cifar-10-batches-bin): where the
// official archive cannot be downloaded, a copy that stores every image as SRC/{train,test}/<i>_<class>.png
// (i = the image's position in the official order, e.g. the onigirichai/darknet repository's data/cifar/) gives
// byte-identical data_batch_1..5.bin and test_batch.bin, which `bgm prepare cifar10` checks against the
// official md5s.
#pragma once
#include <string>

#include "data/formats/prepare_datasets.h"
#include "data/raw_dataset.h"

namespace bgm {

// Decodes SRC/train (50,000 images) and SRC/test (10,000) in index order. Errors name the file or the
// missing/duplicate index and the expected layout. The counts are parameters for the tests' small copies.
RawDataset pack_cifar10_png(const std::string& src, const PrepareOptions& options, int64_t train_images = 50000,
                            int64_t test_images = 10000);

// Writes data_batch_1..5.bin (10,000 records each), test_batch.bin and batches.meta.txt into FOLDER: records of
// 1 label byte + 1024 R, 1024 G, 1024 B bytes, as the official files.
void write_cifar10_batches(const RawDataset& ds, const std::string& folder);

}  // namespace bgm
