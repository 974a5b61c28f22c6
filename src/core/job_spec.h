// The job specification: one JSON document describes one run of the paper (README "Job spec").
// parse_job() applies presets and defaults and validates; the resolved JobSpec is what runs,
// what is hashed into the job id, and what every result JSON records in full under "job". The training settings
// have no defaults here: they come from the presets (core/job_presets.h, core/dataset_facts.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/job_enums.h"

namespace bgm {

struct DatasetSpec {
  std::string name;          // cifar10 | cifar100 | cinic10 | restricted-imagenet | fashion-mnist | toy-gaussians
  std::string root;          // folder (or packed file) holding the data; not part of the job hash
  int64_t train_subset = 0;  // 0 = the whole split; else n examples, as subset_pick says
  int64_t test_subset = 0;
  // kRandom: the first n of a permutation drawn from the seed; kFirst: the split's first n in file order, the same for
  // every seed (CIFAR-10 then reads only the batch files it needs: data_batch_1.bin holds the first 10,000).
  SubsetPick subset_pick = SubsetPick::kRandom;
  // toy-gaussians only: two isotropic Gaussians at (-+center, 0) + offset (classes 0 and 1); kToyPaper/kToyAuthors
  int64_t toy_points_per_class = 0;
  int64_t toy_test_points_per_class = 0;
  double toy_center = 0;
  double toy_std = 0;
  double toy_offset_x = 0;  // the authors' data sit at (0.2 -+ 0.65, 0.2)
  double toy_offset_y = 0;
};

struct ModelSpec {
  std::string name;     // toy-mlp | mlp | vgg16 | resnet18 | resnet50 | densenet40
  int64_t width = 0;    // hidden width for mlp / toy-mlp (0 = the model's default)
  ModelInit init = ModelInit::kPytorch03;  // pytorch03 (paper: PyTorch 0.3's defaults, BN gamma ~ U(0,1)) | libtorch
                                           // (BN gamma 1) | authors (pytorch03, but DenseNet's own He-normal init)
};

// Everything an SGD stage needs; used by both the true-label training and Algorithm 1's pretraining.
struct SgdSpec {
  int64_t epochs = 0;                // fixed length, or the cap when stop_accuracy > 0
  int64_t batch_size = 0;
  double lr = 0;
  std::vector<int64_t> milestones;   // lr *= gamma after each listed epoch
  double gamma = 0;
  double momentum = 0.0;             // PyTorch style: dampening 0, no Nesterov
  double weight_decay = 0.0;         // coupled L2 on every parameter, as the authors
  bool augment = false;
  double stop_accuracy = 0.0;        // percent; 0 = never stop early
  int64_t check_every = 1;           // epochs between stop-rule checks
};

struct AugmentSpec {       // what "augment" means for the dataset (its row in core/dataset_facts.cpp)
  int64_t crop_padding = 0;  // random crop with zero padding (images)
  bool flip = false;         // horizontal flip p=0.5 (images)
  int64_t noise_copies = 0;  // toy: each point replicated this many times with Gaussian noise
  double noise_std = 0;
  bool noise_per_epoch = true;       // toy: fresh noise every epoch (else drawn once, as the authors)
  bool noise_keep_original = false;  // toy: the clean point is in the set too (the authors' 3 points per point)
};

struct AdversarialSpec {
  int64_t replicas = 0;           // R
  double zero_fraction = 0;       // N
  ZeroUnit zero_unit = ZeroUnit::kPixel;  // paper: all channels of a pixel; authors: single channel values
  int64_t label_seed = 0;         // seed of masks and random labels; paper default = job seed, authors = 1 for all seeds
  SgdSpec sgd;                    // vanilla by default
};

struct InitSpec {
  InitKind kind = InitKind::kRandom;
  AdversarialSpec adversarial;
  bool is_adversarial() const { return kind == InitKind::kAdversarial; }
};

struct EvalSpec {
  int64_t every = 1;                 // epochs between full train/test evaluations (the curve)
  TrainAccuracyOn train_accuracy_on = TrainAccuracyOn::kClean;  // authors: augmented
  int64_t eval_batch_size = 1000;
  bool norms = true;                 // Frobenius, path norms, spectral complexity at each evaluation
  std::vector<double> fgsm_eps;      // in [0,1] pixel units; empty = no FGSM
  int64_t toy_grid = 400;            // toy decision-boundary grid side; 0 = none
};

struct JobSpec {
  std::string label;         // free text, not hashed
  Behaviour behaviour = Behaviour::kPaper;
  DatasetSpec dataset;
  ModelSpec model;
  int64_t seed = 0;
  InitSpec init;
  std::string mode;          // vanilla | da | l2 | momentum | da+l2 | da+momentum | l2+momentum | sota | custom
  std::string schedule;      // preset the training schedule came from (cifar, cinic10, ...)
  SgdSpec train;
  AugmentSpec augment;
  EvalSpec eval;
  Precision precision = Precision::kFp32;  // tf32 and bf16: CUDA only (train/precision.h); hashed unless fp32
  bool bf16() const { return precision == Precision::kBf16; }
  std::string output = "results";  // not hashed
  int64_t checkpoint_every = 1;    // epochs between resumable checkpoints; not hashed
  double checkpoint_seconds = 60;  // ...and at least this many seconds apart (tiny epochs); not hashed
  std::string device = "auto";     // auto | cpu | cuda | cuda:N; not hashed
  int64_t threads = 1;             // intra-op threads on CPU; not hashed
  bool cudnn_benchmark = true;     // cuDNN autotuning on CUDA (the authors' loop sets it too); not hashed
  bool lean_step = true;           // hand-written SGD step for the toy's MLP on one CPU rank; not hashed
  int64_t alg1_memory_mb = 2048;   // Algorithm 1's set C is stored (uint8) when it fits in this; not hashed
};

// Parses and resolves a job document. `source` names it in errors.
JobSpec parse_job(const boost::json::value& doc, const std::string& source);
JobSpec load_job_file(const std::string& path);

// The fully resolved job, every default written out.
boost::json::object job_to_json(const JobSpec& job);
// What identifies the result: the resolved job without label, output and the runtime keys
// (device, threads, checkpoint_*, cudnn_benchmark, lean_step, alg1_memory_mb).
boost::json::object job_identity(const JobSpec& job);
std::string job_hash(const JobSpec& job);  // 16 hex digits
// Human-readable run folder name: <dataset>-<model>-<init>-<mode>-s<seed>-<hash8>.
std::string job_dir_name(const JobSpec& job);
std::string run_dir(const JobSpec& job);   // <output>/runs/<job_dir_name>

// Algorithm 1's checkpoint is shared by every job with the same key:
// (dataset, subsets, model, seed, R, N, zero unit, label seed, its SGD settings).
boost::json::object adversarial_identity(const JobSpec& job);
std::string adversarial_key(const JobSpec& job);
std::string adversarial_dir(const JobSpec& job);  // <output>/adversarial-init/<dataset>-<model>-s<seed>-R<R>-<key8>

boost::json::object sgd_to_json(const SgdSpec& sgd);

}  // namespace bgm
