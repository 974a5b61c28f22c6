#include "train/checkpoint.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/error.h"

namespace bgm {

namespace {

torch::Tensor string_tensor(const std::string& s) {
  auto t = torch::empty({static_cast<int64_t>(s.size())}, torch::kUInt8);
  if (!s.empty()) std::memcpy(t.data_ptr<uint8_t>(), s.data(), s.size());
  return t;
}

std::string tensor_string(const torch::Tensor& t) {
  auto c = t.contiguous().to(torch::kCPU);
  return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), static_cast<size_t>(c.numel()));
}

void write_model(torch::serialize::OutputArchive& ar, const torch::nn::Module& model) {
  for (const auto& p : model.named_parameters(true)) ar.write("p/" + p.key(), p.value().detach().to(torch::kCPU));
  for (const auto& b : model.named_buffers(true)) ar.write("b/" + b.key(), b.value().to(torch::kCPU), true);
}

void read_into(torch::serialize::InputArchive& ar, const std::string& key, torch::Tensor target, const std::string& path) {
  torch::Tensor loaded;
  if (!ar.try_read(key, loaded)) throw Error(path + ": tensor '" + key + "' is missing (written by another model?)");
  if (loaded.sizes() != target.sizes())
    throw Error(path + ": tensor '" + key + "' has shape " + c10::str(loaded.sizes()) + ", the model expects " +
                c10::str(target.sizes()));
  torch::NoGradGuard no_grad;
  target.copy_(loaded);
}

void read_model(torch::serialize::InputArchive& ar, torch::nn::Module& model, const std::string& path) {
  for (auto& p : model.named_parameters(true)) read_into(ar, "p/" + p.key(), p.value(), path);
  for (auto& b : model.named_buffers(true)) read_into(ar, "b/" + b.key(), b.value(), path);
}

void save_archive_atomic(torch::serialize::OutputArchive& ar, const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) make_dirs(parent.string());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  ar.save_to(tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error(path + ": cannot rename the temporary checkpoint into place");
}

torch::serialize::InputArchive open_archive(const std::string& path) {
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(path, torch::kCPU);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a readable bgm checkpoint (" + std::string(e.what_without_backtrace()).substr(0, 200) + ")");
  }
  return ar;
}

}  // namespace

void save_weights(const torch::nn::Module& model, const std::string& path) {
  torch::serialize::OutputArchive ar;
  write_model(ar, model);
  save_archive_atomic(ar, path);
}

void load_weights(torch::nn::Module& model, const std::string& path) {
  if (!file_exists(path)) throw Error(path + ": weight file is missing");
  auto ar = open_archive(path);
  read_model(ar, model, path);
}

void save_stage_checkpoint(const std::string& path, const torch::nn::Module& model, Sgd& optimizer,
                           const StageState& state) {
  torch::serialize::OutputArchive ar;
  write_model(ar, model);
  auto& buffers = optimizer.momentum_buffers();
  for (size_t i = 0; i < buffers.size(); ++i)
    if (buffers[i].defined()) ar.write("m/" + std::to_string(i), buffers[i].to(torch::kCPU), true);
  ar.write("s/job_hash", string_tensor(state.job_hash), true);
  ar.write("s/stage", string_tensor(state.stage), true);
  ar.write("s/epoch", torch::tensor({state.epoch}, torch::kInt64), true);
  ar.write("s/step", torch::tensor({state.step}, torch::kInt64), true);
  ar.write("s/seconds", torch::tensor({state.seconds}, torch::kFloat64), true);
  ar.write("s/curve", string_tensor(state.curve_json), true);
  ar.write("s/extra", string_tensor(state.extra_json), true);
  save_archive_atomic(ar, path);
}

bool load_stage_checkpoint(const std::string& path, torch::nn::Module& model, Sgd& optimizer, StageState& state) {
  if (!file_exists(path)) return false;
  auto ar = open_archive(path);
  torch::Tensor t;
  if (!ar.try_read("s/job_hash", t, true)) throw Error(path + ": not a bgm stage checkpoint (no job hash)");
  const std::string hash = tensor_string(t);
  if (hash != state.job_hash)
    throw Error(path + ": checkpoint belongs to job " + hash + ", not " + state.job_hash + "; remove it to start over");
  ar.read("s/stage", t, true);
  if (tensor_string(t) != state.stage) throw Error(path + ": checkpoint is of stage '" + tensor_string(t) + "'");
  read_model(ar, model, path);
  auto& buffers = optimizer.momentum_buffers();
  const auto& params = optimizer.params();
  for (size_t i = 0; i < buffers.size(); ++i) {
    torch::Tensor m;
    if (ar.try_read("m/" + std::to_string(i), m, true)) buffers[i] = m.to(params[i].device()).clone();
  }
  ar.read("s/epoch", t, true);
  state.epoch = t.item<int64_t>();
  ar.read("s/step", t, true);
  state.step = t.item<int64_t>();
  ar.read("s/seconds", t, true);
  state.seconds = t.item<double>();
  ar.read("s/curve", t, true);
  state.curve_json = tensor_string(t);
  ar.read("s/extra", t, true);
  state.extra_json = tensor_string(t);
  return true;
}

}  // namespace bgm
