// Stage checkpoints read back exactly what was written (issue 12: scalars past 255 and the curve's doubles came
// back changed), and a damaged newest generation falls back to the one before it.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/exact_json.h"
#include "train/checkpoint.h"
#include "train/sgd.h"

namespace bgm {
namespace {

struct Tiny : torch::nn::Module {
  Tiny() { weight = register_parameter("weight", torch::randn({3, 4})); }
  torch::Tensor weight;
};

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("bgm-checkpoint-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

StageState state_past_255() {
  StageState s;
  s.job_hash = "abc123";
  s.stage = "train";
  s.epoch = 279;    // 279 mod 256 = 23: the old reading
  s.step = 513;
  s.seconds = 1234.567891;
  // 17 significant digits that Boost.JSON 1.81 parses one ulp off.
  s.curve_json = serialize_exact(boost::json::array{boost::json::object{{"spectral_log10", -0.19148784220337162}}});
  return s;
}

TEST(StageCheckpoint, ScalarsAndCurveReadBackExactly) {
  const std::string path = scratch("exact.pt");
  Tiny model;
  Sgd sgd(model.parameters(), 0.9, 5e-4);
  sgd.momentum_buffers()[0] = torch::randn({3, 4});
  const StageState written = state_past_255();
  save_stage_checkpoint(path, model, sgd, written);

  Tiny other;
  Sgd other_sgd(other.parameters(), 0.9, 5e-4);
  StageState read;
  read.job_hash = written.job_hash;
  read.stage = written.stage;
  ASSERT_EQ(load_stage_checkpoint(path, other, other_sgd, read), path);
  EXPECT_EQ(read.epoch, 279);
  EXPECT_EQ(read.step, 513);
  EXPECT_EQ(read.seconds, written.seconds);
  EXPECT_TRUE(torch::equal(other.weight, model.weight));
  EXPECT_TRUE(torch::equal(other_sgd.momentum_buffers()[0], sgd.momentum_buffers()[0]));
  const double back = parse_exact(read.curve_json, "curve").as_array()[0].as_object().at("spectral_log10").as_double();
  EXPECT_EQ(back, -0.19148784220337162);
}

TEST(StageCheckpoint, TruncatedNewestFallsBackToPreviousGeneration) {
  const std::string path = scratch("generations.pt");
  Tiny model;
  Sgd sgd(model.parameters(), 0, 0);
  StageState s = state_past_255();
  save_stage_checkpoint(path, model, sgd, s);
  s.epoch = 280;
  save_stage_checkpoint(path, model, sgd, s);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);

  StageState read;
  read.job_hash = s.job_hash;
  read.stage = s.stage;
  ASSERT_EQ(load_stage_checkpoint(path, model, sgd, read), path + ".prev");
  EXPECT_EQ(read.epoch, 279);  // the previous generation

  std::filesystem::resize_file(path + ".prev", 10);
  EXPECT_THROW(load_stage_checkpoint(path, model, sgd, read), Error);  // never a silent restart
  remove_stage_checkpoints(path);
  EXPECT_EQ(load_stage_checkpoint(path, model, sgd, read), "");
}

TEST(StageCheckpoint, AnotherJobsCheckpointIsRefused) {
  const std::string path = scratch("other-job.pt");
  Tiny model;
  Sgd sgd(model.parameters(), 0, 0);
  save_stage_checkpoint(path, model, sgd, state_past_255());
  StageState read;
  read.job_hash = "another";
  read.stage = "train";
  EXPECT_THROW(load_stage_checkpoint(path, model, sgd, read), Error);
}

}  // namespace
}  // namespace bgm
