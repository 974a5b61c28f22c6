// The "none" backend: one process, every collective is the identity.
#include <cstdlib>
#include <iostream>

#include "dist/communicator.h"

namespace bgm {

namespace {
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string backend() const override { return "none"; }
  void allreduce_mean_(torch::Tensor&) override {}
  void broadcast_(torch::Tensor&, int) override {}
  double allreduce_sum(double value) override { return value; }
  void barrier() override {}
  [[noreturn]] void abort(const std::string& reason) override {
    std::cerr << "bgm: abort: " << reason << "\n";
    std::exit(3);
  }
};
}  // namespace

std::unique_ptr<Communicator> make_single_process_communicator() { return std::make_unique<SingleProcess>(); }

}  // namespace bgm
