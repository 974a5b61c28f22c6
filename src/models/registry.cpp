// The model registry: name -> family constructor, the two inits, and the helpers every caller shares
// (parameter counts, (conv, bn) pairs, clones).
#include <mutex>

#include <ATen/CPUGeneratorImpl.h>

#include "core/error.h"
#include "models/model_families.h"

namespace bgm {
namespace {

// Model construction draws from the default CPU generator only; this puts it back afterwards so that helpers
// which build a model in the middle of a run do not shift the run's random stream.
struct KeepGlobalRng {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  at::Tensor state;
  KeepGlobalRng() {
    std::lock_guard<std::mutex> lock(generator.mutex());
    state = generator.get_state();
  }
  ~KeepGlobalRng() {
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(state);
  }
};

void check_model_args(const ModelSpec& spec, const InputShape& input, int64_t classes) {
  const ModelFacts& facts = model_facts_of(spec.name);  // throws for an unknown name
  if (spec.width < 0) throw Error("model.width: expected 0 (default) or a positive width, got " + std::to_string(spec.width));
  if (spec.width > 0 && !facts.fully_connected)
    throw Error("model.width: only mlp and toy-mlp take a width; " + spec.name + " has a fixed architecture");
  if (classes < 1) throw Error("model classes: expected at least 1, got " + std::to_string(classes));
  if (input.channels < 1 || input.height < 1 || input.width < 1)
    throw Error("model input shape " + input.to_string() + ": every dimension must be positive");
  if (spec.name == "densenet40" && (input.height < 4 || input.width < 4))
    throw Error("model.name: densenet40 needs images of at least 4x4 (two 2x2 average pools), got " +
                input.to_string());
}

// PyTorch 0.3's BatchNorm reset_parameters: weight.uniform_(), bias.zero_().
void apply_pytorch03_batchnorm_init(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (const auto& module : model.modules(/*include_self=*/false)) {
    if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) {
      bn->weight.uniform_(0.0, 1.0);
      bn->bias.zero_();
    }
  }
}

}  // namespace

Classifier make_model(const ModelSpec& spec, const InputShape& input, int64_t classes) {
  check_model_args(spec, input, classes);
  namespace family = model_families;
  Classifier model;
  if (spec.name == "toy-mlp") model = family::build_toy_mlp(input, classes, spec.width);
  else if (spec.name == "mlp") model = family::build_mlp(input, classes, spec.width);
  else if (spec.name == "vgg16") model = family::build_vgg16(input, classes);
  else if (spec.name == "resnet18") model = family::build_resnet18(input, classes);
  else if (spec.name == "resnet50") model = family::build_resnet50(input, classes);
  else model = family::build_densenet40(input, classes);

  if (spec.init == ModelInit::kAuthors && spec.name == "densenet40") family::apply_densenet_authors_init(*model);
  else if (spec.init != ModelInit::kLibtorch) apply_pytorch03_batchnorm_init(*model);
  model->blueprint = ModelBlueprint{spec, input, classes};
  return model;
}

std::vector<std::pair<std::string, std::string>> ClassifierImpl::conv_bn_pairs() const {
  std::vector<std::pair<std::string, std::string>> pairs;
  const auto modules = named_modules("", /*include_self=*/false);
  for (const auto& item : modules) {
    if (!item.value()->as<torch::nn::Conv2dImpl>()) continue;
    const std::string& conv_path = item.key();
    const size_t dot = conv_path.rfind('.');
    const std::string parent = dot == std::string::npos ? "" : conv_path.substr(0, dot + 1);
    std::string leaf = conv_path.substr(parent.size());
    const size_t at = leaf.rfind("conv");
    if (at == std::string::npos) continue;
    const std::string bn_path = parent + leaf.replace(at, 4, "bn");
    const auto* bn = modules.find(bn_path);
    if (bn && (*bn)->as<torch::nn::BatchNorm2dImpl>()) pairs.emplace_back(conv_path, bn_path);
  }
  return pairs;
}

Classifier clone_architecture(const ClassifierImpl& model) {
  KeepGlobalRng keep;
  const auto& b = model.blueprint;
  return make_model(b.spec, b.input, b.classes);
}

Classifier clone_with_weights(const ClassifierImpl& model) {
  Classifier copy = clone_architecture(model);
  const auto source_params = model.named_parameters(/*recurse=*/true);
  if (source_params.size() > 0) copy->to(source_params.begin()->value().device());
  torch::NoGradGuard no_grad;
  for (auto& item : copy->named_parameters(true)) item.value().copy_(source_params[item.key()]);
  const auto source_buffers = model.named_buffers(true);
  for (auto& item : copy->named_buffers(true)) item.value().copy_(source_buffers[item.key()]);
  copy->train(model.is_training());
  return copy;
}

int64_t count_parameters(const torch::nn::Module& module) {
  int64_t total = 0;
  for (const auto& p : module.parameters(/*recurse=*/true)) total += p.numel();
  return total;
}

int64_t model_parameter_count(const ModelSpec& spec, const InputShape& input, int64_t classes) {
  KeepGlobalRng keep;
  torch::NoGradGuard no_grad;
  return count_parameters(*make_model(spec, input, classes));
}

}  // namespace bgm
