// load_raw_dataset: the reader named in the dataset's row (core/dataset_facts.cpp) loads it; every reader
// validates sizes and labels.
#include "core/atomic_file.h"
#include "core/dataset_facts.h"
#include "core/error.h"
#include "data/formats/bgmpack.h"
#include "data/formats/cifar_binary.h"
#include "data/formats/idx_fashion_mnist.h"
#include "data/formats/missing_dataset_hint.h"
#include "data/formats/toy_gaussians.h"
#include "data/raw_dataset.h"

namespace bgm {

RawDataset raw_dataset_from_facts(const std::string& name) {
  const DatasetFacts& facts = dataset_facts_of(name);
  RawDataset ds;
  ds.name = facts.name;
  ds.classes = facts.classes;
  ds.mean = facts.mean;
  ds.std = facts.std;
  return ds;
}

namespace {

RawDataset read_with_its_reader(const DatasetSpec& spec, int64_t seed) {
  switch (dataset_facts_of(spec.name).reader) {
    case DatasetReader::kCifar10Binary:
      return read_cifar10(spec.root, spec.subset_pick == SubsetPick::kFirst ? spec.train_subset : 0);
    case DatasetReader::kCifar100Binary: return read_cifar100(spec.root);
    case DatasetReader::kFashionMnistIdx: return read_fashion_mnist(spec.root);
    case DatasetReader::kToyGaussians: return make_toy_gaussians(spec, seed);
    case DatasetReader::kBgmpack: break;
  }
  {
    // Folders of image files (CINIC-10, Restricted ImageNet): `bgm prepare` packs them once so loading is one read.
    if (spec.root.empty() || !file_exists(spec.root))
      throw Error((spec.root.empty() ? std::string("dataset.root (empty)") : spec.root) +
                  ": missing packed file; expected the .bgmpack that `bgm fetch` or `bgm prepare` writes");
    return read_bgmpack(spec.root, spec.name);
  }
}

}  // namespace

RawDataset load_raw_dataset(const DatasetSpec& spec, int64_t seed) {
  try {
    return read_with_its_reader(spec, seed);
  } catch (const Error& e) {
    // Not there at all: say how to get it (the readers name the path and the layout they expect).
    if (spec.root.empty() || file_exists(spec.root)) throw;
    throw Error(e.what() + missing_dataset_hint(spec.name, spec.root));
  }
}

}  // namespace bgm
