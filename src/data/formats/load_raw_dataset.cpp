// load_raw_dataset: the dataset name of a job picks its reader; every reader validates sizes and labels.
#include "core/atomic_file.h"
#include "core/dataset_facts.h"
#include "core/error.h"
#include "data/formats/bgmpack.h"
#include "data/formats/cifar_binary.h"
#include "data/formats/idx_fashion_mnist.h"
#include "data/formats/toy_gaussians.h"
#include "data/raw_dataset.h"

namespace bgm {

RawDataset load_raw_dataset(const DatasetSpec& spec, int64_t seed) {
  if (spec.name == "cifar10") return read_cifar10(spec.root);
  if (spec.name == "cifar100") return read_cifar100(spec.root);
  if (spec.name == "fashion-mnist") return read_fashion_mnist(spec.root);
  if (spec.name == "toy-gaussians") return make_toy_gaussians(spec, seed);
  if (spec.name == "cinic10" || spec.name == "restricted-imagenet") {
    // These two ship as folders of image files; `bgm prepare` packs them once so that loading is one read.
    if (spec.root.empty() || !file_exists(spec.root))
      throw Error((spec.root.empty() ? std::string("dataset.root (empty)") : spec.root) +
                  ": missing packed file; expected a .bgmpack made by `bgm prepare " + spec.name +
                  " --src DIR --out " + (spec.root.empty() ? "FILE.bgmpack" : spec.root) + "`");
    return read_bgmpack(spec.root, spec.name);
  }
  throw Error("dataset.name: unknown dataset '" + spec.name + "'; expected one of " + dataset_names());
}

}  // namespace bgm
