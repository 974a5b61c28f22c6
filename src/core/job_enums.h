// The job's closed choices, parsed once from their JSON spellings (parse_job) and written back the same way, so
// that job ids do not change: every other place compares enums, not strings.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace bgm {

enum class Behaviour { kPaper, kAuthors };            // which side of a paper/code disagreement the defaults take
enum class InitKind { kRandom, kAdversarial };
enum class Precision { kFp32, kTf32, kBf16 };         // train/precision.h
enum class ZeroUnit { kPixel, kValue };               // Algorithm 1 zeroes whole pixels (paper) or single values (authors)
enum class TrainAccuracyOn { kClean, kAugmented };    // the authors measured a DA run's train accuracy on augmented data
enum class ModelInit { kPytorch03, kLibtorch, kAuthors };  // models/classifier.h
enum class SubsetPick { kRandom, kFirst };  // which n examples dataset.train_subset/test_subset keep

// The JSON spellings in enum order, e.g. {"fp32", "tf32", "bf16"}.
template <typename E>
const std::vector<std::string>& names_of();
template <> const std::vector<std::string>& names_of<Behaviour>();
template <> const std::vector<std::string>& names_of<InitKind>();
template <> const std::vector<std::string>& names_of<Precision>();
template <> const std::vector<std::string>& names_of<ZeroUnit>();
template <> const std::vector<std::string>& names_of<TrainAccuracyOn>();
template <> const std::vector<std::string>& names_of<ModelInit>();
template <> const std::vector<std::string>& names_of<SubsetPick>();

template <typename E>
const std::string& name_of(E value) {
  return names_of<E>().at(static_cast<size_t>(value));
}

template <typename E>
std::optional<E> parse_name(const std::string& name) {
  const auto& names = names_of<E>();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

// "fp32, tf32 or bf16", for error messages.
template <typename E>
std::string choices_text() {
  const auto& names = names_of<E>();
  std::string text;
  for (size_t i = 0; i < names.size(); ++i)
    text += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
  return text;
}

}  // namespace bgm
