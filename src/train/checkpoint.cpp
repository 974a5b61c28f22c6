#include "train/checkpoint.h"

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fault_injection.h"
#include "core/job_lock.h"

namespace bgm {

namespace {

torch::Tensor string_tensor(const std::string& s) {
  auto t = torch::empty({static_cast<int64_t>(s.size())}, torch::kUInt8);
  if (!s.empty()) std::memcpy(t.data_ptr<uint8_t>(), s.data(), s.size());
  return t;
}

std::string archive_bytes(torch::serialize::OutputArchive& ar) {
  std::string bytes;
  ar.save_to([&bytes](const void* data, size_t size) -> size_t {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  return bytes;
}

torch::serialize::InputArchive open_archive(const std::string& path, const std::string& bytes) {
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(bytes.data(), bytes.size(), torch::kCPU);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a readable bgm checkpoint (" + std::string(e.what_without_backtrace()).substr(0, 200) + ")");
  }
  return ar;
}

// A fresh tensor per key: InputArchive::try_read into an already defined tensor set_()s that tensor to the
// stored storage but keeps its dtype, so an int64 read into the uint8 tensor of a string came back as its lowest
// byte (issue 12: epochs resumed modulo 256, seconds as one byte of a double).
torch::Tensor read_tensor(torch::serialize::InputArchive& ar, const std::string& key, const std::string& path,
                          bool is_buffer, bool required = true) {
  torch::Tensor t;
  if (!ar.try_read(key, t, is_buffer)) {
    if (required) throw Error(path + ": tensor '" + key + "' is missing (written by another model or version?)");
    return {};
  }
  return t;
}

std::string read_string(torch::serialize::InputArchive& ar, const std::string& key, const std::string& path) {
  const auto t = read_tensor(ar, key, path, true).contiguous();
  if (t.scalar_type() != torch::kUInt8) throw Error(path + ": '" + key + "' is not a string");
  return std::string(reinterpret_cast<const char*>(t.data_ptr<uint8_t>()), static_cast<size_t>(t.numel()));
}

template <typename T>
T read_scalar(torch::serialize::InputArchive& ar, const std::string& key, const std::string& path, torch::ScalarType type) {
  const auto t = read_tensor(ar, key, path, true);
  if (t.scalar_type() != type || t.numel() != 1) throw Error(path + ": '" + key + "' is not one " + c10::toString(type));
  return t.item<T>();
}

void write_model(torch::serialize::OutputArchive& ar, const torch::nn::Module& model) {
  for (const auto& p : model.named_parameters(true)) ar.write("p/" + p.key(), p.value().detach().to(torch::kCPU));
  for (const auto& b : model.named_buffers(true)) ar.write("b/" + b.key(), b.value().to(torch::kCPU), true);
}

void read_into(torch::serialize::InputArchive& ar, const std::string& key, torch::Tensor target, const std::string& path,
               bool is_buffer) {
  const torch::Tensor loaded = read_tensor(ar, key, path, is_buffer);
  if (loaded.sizes() != target.sizes())
    throw Error(path + ": tensor '" + key + "' has shape " + c10::str(loaded.sizes()) + ", the model expects " +
                c10::str(target.sizes()));
  torch::NoGradGuard no_grad;
  target.copy_(loaded);
}

void read_model(torch::serialize::InputArchive& ar, torch::nn::Module& model, const std::string& path) {
  for (auto& p : model.named_parameters(true)) read_into(ar, "p/" + p.key(), p.value(), path, false);
  for (auto& b : model.named_buffers(true)) read_into(ar, "b/" + b.key(), b.value(), path, true);
}

StageState read_state(torch::serialize::InputArchive& ar, const std::string& path) {
  StageState s;
  s.job_hash = read_string(ar, "s/job_hash", path);
  s.stage = read_string(ar, "s/stage", path);
  s.epoch = read_scalar<int64_t>(ar, "s/epoch", path, torch::kInt64);
  s.step = read_scalar<int64_t>(ar, "s/step", path, torch::kInt64);
  s.seconds = read_scalar<double>(ar, "s/seconds", path, torch::kFloat64);
  s.curve_json = read_string(ar, "s/curve", path);
  s.extra_json = read_string(ar, "s/extra", path);
  return s;
}

std::vector<std::pair<std::string, torch::Tensor>> momentum_tensors(Sgd& optimizer) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  auto& buffers = optimizer.momentum_buffers();
  for (size_t i = 0; i < buffers.size(); ++i)
    if (buffers[i].defined()) out.emplace_back("m/" + std::to_string(i), buffers[i].to(torch::kCPU));
  return out;
}

// The round trip: what `bytes` reads back as must be exactly what was written.
void check_round_trip(const std::string& path, const std::string& bytes, const torch::nn::Module& model,
                      const std::vector<std::pair<std::string, torch::Tensor>>& momentum, const StageState& state) {
  auto ar = open_archive(path, bytes);
  const StageState back = read_state(ar, path);
  const bool same_fields = back.job_hash == state.job_hash && back.stage == state.stage && back.epoch == state.epoch &&
                           back.step == state.step && std::memcmp(&back.seconds, &state.seconds, sizeof(double)) == 0 &&
                           back.curve_json == state.curve_json && back.extra_json == state.extra_json;
  if (!same_fields) throw Error(path + ": checkpoint does not read back as written (stage fields differ); not used");
  auto same = [&](const std::string& key, const torch::Tensor& written, bool is_buffer) {
    const torch::Tensor back_tensor = read_tensor(ar, key, path, is_buffer);
    if (back_tensor.scalar_type() != written.scalar_type() || !torch::equal(back_tensor, written.to(torch::kCPU)))
      throw Error(path + ": checkpoint does not read back as written (tensor '" + key + "'); not used");
  };
  for (const auto& p : model.named_parameters(true)) same("p/" + p.key(), p.value().detach(), false);
  for (const auto& b : model.named_buffers(true)) same("b/" + b.key(), b.value(), true);
  for (const auto& m : momentum) same(m.first, m.second, true);
}

}  // namespace

void save_weights(const torch::nn::Module& model, const std::string& path) {
  torch::serialize::OutputArchive ar;
  write_model(ar, model);
  const std::string bytes = archive_bytes(ar);
  JobLock::exit_if_any_lost();
  write_file_atomic(path, bytes, "weights");
}

void load_weights(torch::nn::Module& model, const std::string& path) {
  if (!file_exists(path)) throw Error(path + ": weight file is missing");
  auto ar = open_archive(path, read_file(path));
  read_model(ar, model, path);
}

std::vector<std::string> stage_checkpoint_generations(const std::string& path) {
  return {path + ".new", path, path + ".prev"};
}

void save_stage_checkpoint(const std::string& path, const torch::nn::Module& model, Sgd& optimizer,
                           const StageState& state) {
  torch::serialize::OutputArchive ar;
  write_model(ar, model);
  const auto momentum = momentum_tensors(optimizer);
  for (const auto& m : momentum) ar.write(m.first, m.second, true);
  ar.write("s/job_hash", string_tensor(state.job_hash), true);
  ar.write("s/stage", string_tensor(state.stage), true);
  ar.write("s/epoch", torch::tensor({state.epoch}, torch::kInt64), true);
  ar.write("s/step", torch::tensor({state.step}, torch::kInt64), true);
  ar.write("s/seconds", torch::tensor({state.seconds}, torch::kFloat64), true);
  ar.write("s/curve", string_tensor(state.curve_json), true);
  ar.write("s/extra", string_tensor(state.extra_json), true);
  const std::string bytes = archive_bytes(ar);
  check_round_trip(path, bytes, model, momentum, state);

  JobLock::exit_if_any_lost();
  const auto generations = stage_checkpoint_generations(path);
  const std::string& fresh = generations[0];
  const std::string& previous = generations[2];
  try {
    write_file_atomic(fresh, bytes, "checkpoint");
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + (file_exists(path) ? "; the last checkpoint, " + path + ", is unchanged" : ""));
  }
  if (read_file(fresh) != bytes) throw Error(fresh + ": checkpoint file does not read back as written; not used");
  JobLock::exit_if_any_lost();  // the write took a while: still ours before the rotation
  if (file_exists(path)) rename_durable(path, previous);
  fault_point("checkpoint-rotated");
  rename_durable(fresh, path);
}

std::string load_stage_checkpoint(const std::string& path, torch::nn::Module& model, Sgd& optimizer, StageState& state) {
  std::string failures;
  for (const std::string& file : stage_checkpoint_generations(path)) {
    if (!file_exists(file)) continue;
    StageState found;
    try {
      auto ar = open_archive(file, read_file(file));
      found = read_state(ar, file);
      if (found.job_hash != state.job_hash)
        throw Error(file + ": checkpoint belongs to job " + found.job_hash + ", not " + state.job_hash +
                    "; remove it to start over");
      if (found.stage != state.stage) throw Error(file + ": checkpoint is of stage '" + found.stage + "'");
      read_model(ar, model, file);
      auto& buffers = optimizer.momentum_buffers();
      const auto& params = optimizer.params();
      for (size_t i = 0; i < buffers.size(); ++i) {
        const torch::Tensor m = read_tensor(ar, "m/" + std::to_string(i), file, true, false);
        buffers[i] = m.defined() ? m.to(params[i].device()).clone() : torch::Tensor();
      }
    } catch (const Error& e) {
      // Another job's or stage's checkpoint is not damage: never fall back past it.
      if (found.job_hash.size() && (found.job_hash != state.job_hash || found.stage != state.stage)) throw;
      std::fprintf(stderr, "bgm: %s\n", e.what());
      failures += std::string("\n  ") + e.what();
      continue;
    }
    if (!failures.empty()) std::fprintf(stderr, "bgm: resuming from the older checkpoint %s instead\n", file.c_str());
    state = found;
    return file;
  }
  if (!failures.empty())
    throw Error(path + ": no readable checkpoint generation; remove them to start the stage over:" + failures);
  return "";
}

void remove_stage_checkpoints(const std::string& path) {
  for (const std::string& file : stage_checkpoint_generations(path)) std::remove(file.c_str());
  fsync_directory(std::filesystem::path(path).parent_path().string());
}

}  // namespace bgm
