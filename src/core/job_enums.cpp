#include "core/job_enums.h"

namespace bgm {

template <>
const std::vector<std::string>& names_of<Behaviour>() {
  static const std::vector<std::string> names = {"paper", "authors"};
  return names;
}
template <>
const std::vector<std::string>& names_of<InitKind>() {
  static const std::vector<std::string> names = {"random", "adversarial"};
  return names;
}
template <>
const std::vector<std::string>& names_of<Precision>() {
  static const std::vector<std::string> names = {"fp32", "tf32", "bf16"};
  return names;
}
template <>
const std::vector<std::string>& names_of<ZeroUnit>() {
  static const std::vector<std::string> names = {"pixel", "value"};
  return names;
}
template <>
const std::vector<std::string>& names_of<TrainAccuracyOn>() {
  static const std::vector<std::string> names = {"clean", "augmented"};
  return names;
}
template <>
const std::vector<std::string>& names_of<ModelInit>() {
  static const std::vector<std::string> names = {"pytorch03", "libtorch", "authors"};
  return names;
}

}  // namespace bgm
