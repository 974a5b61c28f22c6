// The result JSON contract (README "Result JSON"), torch-free: the schema id, the kinds of result, and the key
// names that `bgm run` writes (train/result_writer.h, run_job, adversarial_init) and bgm-aggregate reads
// (aggregate/result_reader.h). A key renamed here is renamed on both sides.
#pragma once

namespace bgm::result_schema {

inline constexpr const char* kSchema = "bgm-result/1";
inline constexpr const char* kComplete = "complete";  // the status of a finished result

namespace kind {
inline constexpr const char* kTrain = "train";
inline constexpr const char* kAdversarialInit = "adversarial-init";
}  // namespace kind

namespace key {
// Top level.
inline constexpr const char* kSchema = "schema";
inline constexpr const char* kKind = "kind";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kJobId = "job_id";
inline constexpr const char* kJob = "job";
inline constexpr const char* kCurve = "curve";
inline constexpr const char* kFinal = "final";
inline constexpr const char* kMetrics = "metrics";
// Curve rows and `final`.
inline constexpr const char* kEpoch = "epoch";
inline constexpr const char* kEpochs = "epochs";
inline constexpr const char* kTrainAcc = "train_acc";
inline constexpr const char* kTestAcc = "test_acc";
inline constexpr const char* kTrainLoss = "train_loss";
inline constexpr const char* kTestLoss = "test_loss";
inline constexpr const char* kAccuracyOnC = "accuracy_on_c";
inline constexpr const char* kNorms = "norms";
// `metrics`.
inline constexpr const char* kDistance = "distance";
inline constexpr const char* kInitFinal = "init_final";  // distance pairs (Table 1)
inline constexpr const char* kW0rFinal = "w0r_final";
inline constexpr const char* kW0rW0a = "w0r_w0a";
inline constexpr const char* kNormsInit = "init";  // metrics.norms stages
inline constexpr const char* kNormsFinal = "final";
inline constexpr const char* kFgsm = "fgsm";
inline constexpr const char* kToy = "toy";
inline constexpr const char* kGridFile = "grid_file";
inline constexpr const char* kPointsFile = "points_file";
}  // namespace key

}  // namespace bgm::result_schema
