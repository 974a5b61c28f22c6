// The .bgmpack file: a whole image dataset (both splits) in one flat binary file that loads as fast as CIFAR.
// `bgm prepare` writes it for CINIC-10 and Restricted ImageNet; `load_raw_dataset` reads it.
//
// Layout, all integers and floats little-endian, no padding:
//   offset 0   8 bytes   magic "BGMPACK\0"
//              u32       version (= 2; version 1 files, without the subset field, are still read)
//              u32       name length L (1..255), then L bytes of the dataset name (no terminator)
//              u32       subset length S (0..4095), then S bytes saying which images were kept when the pack holds
//                        a subsample (e.g. Restricted ImageNet at the paper's size); empty = the whole dataset
//              u32 x4    classes, channels C, height H, width W
//              u64 x2    train count, test count
//              f32 x C   per-channel mean of pixels/255;  f32 x C  per-channel std
//   then for the train split and then the test split:
//              u32 x count          labels, each in [0, classes)
//              u8 x count*C*H*W     pixels, NCHW, rows top to bottom
// The file size must equal exactly what the header implies.
#pragma once
#include <string>

#include "data/raw_dataset.h"

namespace bgm {

constexpr uint32_t kBgmpackVersion = 2;

void write_bgmpack(const std::string& path, const RawDataset& dataset);  // atomic: temporary file, then rename
// `expected_name` (if not empty) must match the name stored in the file.
RawDataset read_bgmpack(const std::string& path, const std::string& expected_name = "");

}  // namespace bgm
