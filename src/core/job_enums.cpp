#include "core/job_enums.h"

namespace bgm {

// Spellings in enum order; they are the job JSON's, so changing one changes job ids.
using Names = std::vector<std::string>;
template <> const Names& names_of<Behaviour>() { static const Names n{"paper", "authors"}; return n; }
template <> const Names& names_of<InitKind>() { static const Names n{"random", "adversarial"}; return n; }
template <> const Names& names_of<Precision>() { static const Names n{"fp32", "tf32", "bf16"}; return n; }
template <> const Names& names_of<ZeroUnit>() { static const Names n{"pixel", "value"}; return n; }
template <> const Names& names_of<TrainAccuracyOn>() { static const Names n{"clean", "augmented"}; return n; }
template <> const Names& names_of<ModelInit>() { static const Names n{"pytorch03", "libtorch", "authors"}; return n; }
template <> const Names& names_of<SubsetPick>() { static const Names n{"random", "first"}; return n; }

}  // namespace bgm
