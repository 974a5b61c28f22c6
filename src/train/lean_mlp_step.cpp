#include "train/lean_mlp_step.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/model_facts.h"

// One copy of the step kernel per instruction set, chosen when the program loads (GCC >= 11 on x86-64; other
// compilers and processors get one portable copy).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && !defined(BGM_NO_CPU_CLONES)
#define BGM_CPU_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define BGM_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define BGM_CPU_CLONES
#define BGM_ALWAYS_INLINE inline
#endif

namespace bgm {

namespace {

// Inputs wider than this go through LibTorch: its blocked GEMMs win once the first layer is a real matrix product.
constexpr int64_t kMaxFeatures = 64;

// sum_i a[i] * b[i] with eight independent partial sums (one vector register), summed as a tree at the end:
// `omp simd reduction` would combine its lanes one by one, which costs more than the toy's short dots themselves.
BGM_ALWAYS_INLINE float dot(const float* a, const float* b, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))) + tail;
}

// y[i] += alpha * x[i]
BGM_ALWAYS_INLINE void axpy(float alpha, const float* x, float* y, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

size_t slot_of(const Sgd& optimizer, const torch::Tensor& t) {
  const auto& params = optimizer.params();
  for (size_t k = 0; k < params.size(); ++k)
    if (params[k].is_same(t)) return k;
  throw Error("lean MLP step: a layer's tensor is not among the optimizer's parameters");
}

}  // namespace

std::unique_ptr<LeanMlpStep> LeanMlpStep::make(ClassifierImpl& model, const Communicator& comm, Sgd& optimizer) {
  const std::string& name = model.blueprint.spec.name;
  if (comm.size() != 1 || !model_facts_of(name).fully_connected || !model.buffers().empty()) return nullptr;
  const auto named = model.named_parameters();
  if (named.size() != 6) return nullptr;
  std::vector<Layer> layers;
  for (const char* prefix : {"fc1", "fc2", "fc3"}) {
    const torch::Tensor* w = named.find(std::string(prefix) + ".weight");
    const torch::Tensor* b = named.find(std::string(prefix) + ".bias");
    if (!w || !b) return nullptr;
    for (const torch::Tensor* t : {w, b})
      if (!t->device().is_cpu() || t->scalar_type() != torch::kFloat32 || !t->is_contiguous()) return nullptr;
    Layer layer{*w, *b, w->size(1), w->size(0), slot_of(optimizer, *w), slot_of(optimizer, *b)};
    if (!layers.empty() && layer.in != layers.back().out) return nullptr;
    layers.push_back(layer);
  }
  if (layers.front().in > kMaxFeatures) return nullptr;
  return std::unique_ptr<LeanMlpStep>(new LeanMlpStep(std::move(layers), optimizer));
}

LeanMlpStep::LeanMlpStep(std::vector<Layer> layers, Sgd& optimizer) : layers_(std::move(layers)), optimizer_(optimizer) {
  int64_t weights = 0, biases = 0;
  for (const Layer& l : layers_) {
    weights += l.in * l.out;
    biases += l.out;
  }
  grad_w_.resize(static_cast<size_t>(weights));
  grad_b_.resize(static_cast<size_t>(biases));
  for (const Layer& l : layers_) transposed_.resize(std::max(transposed_.size(), static_cast<size_t>(l.in * l.out)));
}

void LeanMlpStep::begin_epoch(const BatchSource& source, const EpochPlan& plan) {
  const int64_t n = source.size();
  epoch_ = source.batch(plan, torch::arange(0, n, torch::TensorOptions().dtype(torch::kInt64)));
  epoch_.inputs = epoch_.inputs.reshape({n, -1}).to(torch::kFloat32).contiguous();
  epoch_.labels = epoch_.labels.to(torch::kInt64).contiguous();
}

double LeanMlpStep::step_positions(int64_t lo, int64_t hi, double lr) {
  const int64_t features = epoch_.inputs.size(1);
  return step(epoch_.inputs.data_ptr<float>() + lo * features, epoch_.labels.data_ptr<int64_t>() + lo, hi - lo, lr);
}

namespace {

struct KernelLayer {
  float *weight, *bias;                  // updated in place
  float *buffer_weight, *buffer_bias;    // momentum buffers (null without momentum)
  bool first;                            // the buffers' first step: buffer = d
  int64_t in, out;
  float *grad_weight, *grad_bias;        // workspace
};
struct KernelArgs {
  KernelLayer layer[3];
  const float* inputs;
  const int64_t* labels;
  int64_t rows;
  float *h1, *h2, *logits, *d_logits, *d_h2, *d_h1;  // workspace, rows x width
  float* transposed;                                  // workspace, the largest weight matrix
  float lr, weight_decay, momentum;
};

// Sgd::step for one tensor: d = g + wd * w; buf = d on the first step, else momentum * buf + d; w -= lr * buf.
BGM_ALWAYS_INLINE void sgd_update(float* w, float* buffer, bool first, const float* grad, int64_t n, const KernelArgs& a) {
  const float wd = a.weight_decay, m = a.momentum, step = -a.lr;
  if (!buffer) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) w[i] += step * (grad[i] + wd * w[i]);
    return;
  }
  if (first) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) buffer[i] = grad[i] + wd * w[i];
  } else {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) buffer[i] = m * buffer[i] + (grad[i] + wd * w[i]);
  }
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) w[i] += step * buffer[i];
}

// out = in W^T + b (ReLU'd where asked). Wide layers go through a transposed copy of W (wt, [in][out]) so the
// inner loop is an axpy over the outputs, which vectorizes, and skips the inputs a ReLU zeroed; narrow layers
// (the classifier's 2 outputs) take one dot per output.
BGM_ALWAYS_INLINE void dense(const float* in, const KernelLayer& l, int64_t rows, float* wt, float* out, bool relu) {
  const int64_t n_in = l.in, n_out = l.out;
  if (n_out >= 8) {
    for (int64_t o = 0; o < n_out; ++o)
      for (int64_t i = 0; i < n_in; ++i) wt[i * n_out + o] = l.weight[o * n_in + i];
    for (int64_t r = 0; r < rows; ++r) {
      const float* x = in + r * n_in;
      float* y = out + r * n_out;
      std::copy(l.bias, l.bias + n_out, y);
      for (int64_t i = 0; i < n_in; ++i)
        if (x[i] != 0.0f) axpy(x[i], wt + i * n_out, y, n_out);
    }
  } else {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t o = 0; o < n_out; ++o) out[r * n_out + o] = l.bias[o] + dot(in + r * n_in, l.weight + o * n_in, n_in);
  }
  if (relu)
    for (int64_t k = 0; k < rows * n_out; ++k) out[k] = std::max(out[k], 0.0f);
}

// The layer's gradients: grad_weight[o][:] = sum_r d_out[r][o] * in[r][:], grad_bias[o] = sum_r d_out[r][o].
BGM_ALWAYS_INLINE void weight_grads(const float* d_out, const float* in, const KernelLayer& l, int64_t rows) {
  std::fill(l.grad_weight, l.grad_weight + l.out * l.in, 0.0f);
  std::fill(l.grad_bias, l.grad_bias + l.out, 0.0f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < l.out; ++o) {
      const float g = d_out[r * l.out + o];
      if (g == 0.0f) continue;  // ReLU zeroed it: nothing to add
      l.grad_bias[o] += g;
      axpy(g, in + r * l.in, l.grad_weight + o * l.in, l.in);
    }
}

// The gradient of the layer's input: d_in = d_out W, masked by the ReLU that made the input.
BGM_ALWAYS_INLINE void input_grads(const float* d_out, const KernelLayer& l, const float* act, int64_t rows, float* d_in) {
  std::fill(d_in, d_in + rows * l.in, 0.0f);
  for (int64_t r = 0; r < rows; ++r) {
    float* d = d_in + r * l.in;
    for (int64_t o = 0; o < l.out; ++o) {
      const float g = d_out[r * l.out + o];
      if (g != 0.0f) axpy(g, l.weight + o * l.in, d, l.in);
    }
    const float* act_row = act + r * l.in;
#pragma omp simd
    for (int64_t i = 0; i < l.in; ++i) d[i] = act_row[i] > 0.0f ? d[i] : 0.0f;  // ReLU's gradient (0 at 0, as torch's)
  }
}

// Forward, loss, backward and update; returns the summed cross-entropy. Compiled for several instruction sets
// (AVX-512, AVX2 + FMA, baseline) and picked at load time, so one binary runs everywhere and fast where it can.
BGM_CPU_CLONES double train_step_kernel(const KernelArgs& a) {
  const int64_t rows = a.rows;
  const KernelLayer &l1 = a.layer[0], &l2 = a.layer[1], &l3 = a.layer[2];
  const int64_t classes = l3.out;

  // Forward: h1 = relu(x W1^T + b1), h2 = relu(h1 W2^T + b2), logits = h2 W3^T + b3.
  dense(a.inputs, l1, rows, a.transposed, a.h1, true);
  dense(a.h1, l2, rows, a.transposed, a.h2, true);
  dense(a.h2, l3, rows, a.transposed, a.logits, false);

  // Mean softmax cross-entropy over the batch: d loss / d logits = (softmax - one_hot) / rows.
  double loss_sum = 0;
  const float inv_rows = 1.0f / static_cast<float>(rows);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t y = a.labels[r];
    const float* z = a.logits + r * classes;
    float* dz = a.d_logits + r * classes;
    const float top = *std::max_element(z, z + classes);
    float total = 0;
    for (int64_t c = 0; c < classes; ++c) total += (dz[c] = std::exp(z[c] - top));
    loss_sum += static_cast<double>(top) + std::log(static_cast<double>(total)) - static_cast<double>(z[y]);
    for (int64_t c = 0; c < classes; ++c) dz[c] = (dz[c] / total - (c == y ? 1.0f : 0.0f)) * inv_rows;
  }

  // Backward, layer by layer, from the old weights.
  weight_grads(a.d_logits, a.h2, l3, rows);
  input_grads(a.d_logits, l3, a.h2, rows, a.d_h2);
  weight_grads(a.d_h2, a.h1, l2, rows);
  input_grads(a.d_h2, l2, a.h1, rows, a.d_h1);
  weight_grads(a.d_h1, a.inputs, l1, rows);

  // Every gradient is computed from the old weights; now the updates.
  for (const KernelLayer& l : a.layer) {
    sgd_update(l.weight, l.buffer_weight, l.first, l.grad_weight, l.out * l.in, a);
    sgd_update(l.bias, l.buffer_bias, l.first, l.grad_bias, l.out, a);
  }
  return loss_sum;
}

}  // namespace

double LeanMlpStep::step(const float* inputs, const int64_t* labels, int64_t rows, double lr) {
  if (rows <= 0) return 0;
  const int64_t classes = layers_[2].out;
  for (int64_t r = 0; r < rows; ++r)
    if (labels[r] < 0 || labels[r] >= classes)
      throw Error("lean MLP step: label " + std::to_string(labels[r]) + " outside [0, " + std::to_string(classes) + ")");
  const int64_t w1 = layers_[0].out, w2 = layers_[1].out;
  for (auto* v : {&h1_, &d_h1_}) v->resize(static_cast<size_t>(rows * w1));
  for (auto* v : {&h2_, &d_h2_}) v->resize(static_cast<size_t>(rows * w2));
  for (auto* v : {&logits_, &d_logits_}) v->resize(static_cast<size_t>(rows * classes));

  KernelArgs a{};
  a.inputs = inputs;
  a.labels = labels;
  a.rows = rows;
  a.h1 = h1_.data();
  a.h2 = h2_.data();
  a.logits = logits_.data();
  a.d_logits = d_logits_.data();
  a.d_h2 = d_h2_.data();
  a.d_h1 = d_h1_.data();
  a.transposed = transposed_.data();
  a.lr = static_cast<float>(lr);
  a.weight_decay = static_cast<float>(optimizer_.weight_decay());
  a.momentum = static_cast<float>(optimizer_.momentum());
  auto& buffers = optimizer_.momentum_buffers();
  float* grad_w = grad_w_.data();
  float* grad_b = grad_b_.data();
  for (size_t k = 0; k < layers_.size(); ++k) {
    Layer& l = layers_[k];
    KernelLayer& kl = a.layer[k];
    kl.weight = l.weight.data_ptr<float>();
    kl.bias = l.bias.data_ptr<float>();
    kl.in = l.in;
    kl.out = l.out;
    kl.grad_weight = grad_w;
    kl.grad_bias = grad_b;
    grad_w += l.in * l.out;
    grad_b += l.out;
    if (optimizer_.momentum() != 0) {
      torch::Tensor& bw = buffers[l.weight_slot];
      torch::Tensor& bb = buffers[l.bias_slot];
      kl.first = !bw.defined();
      if (kl.first) {  // PyTorch's first momentum step: the kernel writes buffer = d
        bw = torch::empty_like(l.weight, torch::TensorOptions().requires_grad(false));
        bb = torch::empty_like(l.bias, torch::TensorOptions().requires_grad(false));
      }
      kl.buffer_weight = bw.data_ptr<float>();
      kl.buffer_bias = bb.data_ptr<float>();
    }
  }
  return train_step_kernel(a);
}

}  // namespace bgm
