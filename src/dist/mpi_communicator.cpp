// The "mpi" backend: collectives over the job group's MPI communicator on CPU tensors
// (a CUDA tensor is staged through host memory, which works but is slow: use nccl on GPUs).
#include <mpi.h>

#include "core/error.h"
#include "dist/backends.h"
#include "dist/mpi_runtime.h"

namespace bgm {

namespace {

MPI_Datatype mpi_type_of(const torch::Tensor& t, const char* what) {
  switch (t.scalar_type()) {
    case torch::kFloat: return MPI_FLOAT;
    case torch::kDouble: return MPI_DOUBLE;
    case torch::kLong: return MPI_INT64_T;
    case torch::kInt: return MPI_INT32_T;
    default:
      throw Error(std::string("mpi backend ") + what + ": unsupported tensor dtype " +
                  std::string(c10::toString(t.scalar_type())) + " (float, double, int32, int64)");
  }
}

class MpiCommunicator final : public Communicator {
 public:
  explicit MpiCommunicator(MPI_Comm comm) : comm_(comm) {
    check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string backend() const override { return "mpi"; }

  void allreduce_mean_(torch::Tensor& flat) override {
    if (!flat.is_floating_point()) throw Error("mpi backend allreduce_mean_: needs a float tensor");
    if (size_ == 1) return;
    torch::Tensor host = to_host_contiguous(flat);
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, host.data_ptr(), static_cast<int>(host.numel()),
                            mpi_type_of(host, "allreduce_mean_"), MPI_SUM, comm_),
              "MPI_Allreduce");
    host.div_(size_);
    if (!host.is_same(flat)) flat.copy_(host);
  }

  void broadcast_(torch::Tensor& tensor, int root) override {
    if (size_ == 1) return;
    torch::Tensor host = to_host_contiguous(tensor);
    check_mpi(MPI_Bcast(host.data_ptr(), static_cast<int>(host.numel()), mpi_type_of(host, "broadcast_"), root,
                        comm_),
              "MPI_Bcast");
    if (!host.is_same(tensor)) tensor.copy_(host);
  }

  double allreduce_sum(double value) override {
    double total = 0.0;
    check_mpi(MPI_Allreduce(&value, &total, 1, MPI_DOUBLE, MPI_SUM, comm_), "MPI_Allreduce(sum)");
    return total;
  }

  void barrier() override { check_mpi(MPI_Barrier(comm_), "MPI_Barrier"); }

  [[noreturn]] void abort(const std::string& reason) override { abort_world(reason, 3); }

 private:
  static torch::Tensor to_host_contiguous(const torch::Tensor& t) {
    if (t.numel() > INT32_MAX) throw Error("mpi backend: tensor of " + std::to_string(t.numel()) +
                                           " elements exceeds MPI's int count");
    if (t.device().is_cpu() && t.is_contiguous()) return t;
    return t.to(torch::kCPU).contiguous();
  }

  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
};

}  // namespace

std::unique_ptr<Communicator> make_mpi_communicator(int ranks_per_job) {
  return std::make_unique<MpiCommunicator>(group_comm(ranks_per_job));
}

}  // namespace bgm
