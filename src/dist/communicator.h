// Process-group abstraction for data-parallel training: "none" (one process), "mpi" (CPU tensors,
// MPI_Allreduce) and "nccl" (CUDA tensors). The trainer sees only this interface.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace bgm {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;   // rank within the job's group
  virtual int size() const = 0;   // ranks in the job's group
  virtual std::string backend() const = 0;  // "none" | "mpi" | "nccl"
  // In place: every rank ends with the element-wise mean over ranks. One call per flat bucket.
  virtual void allreduce_mean_(torch::Tensor& flat) = 0;
  // In place: every rank ends with root's values.
  virtual void broadcast_(torch::Tensor& tensor, int root) = 0;
  // Sum of a double over ranks (metrics: correct counts, losses).
  virtual double allreduce_sum(double value) = 0;
  virtual void barrier() = 0;
  // Aborts every rank of the job (MPI_Abort) after printing the reason with rank and host.
  [[noreturn]] virtual void abort(const std::string& reason) = 0;
  // The CUDA device this rank owns (nccl: chosen from the node-local rank), or -1 for CPU backends.
  virtual int cuda_device() const { return -1; }
};

// The single-process communicator.
std::unique_ptr<Communicator> make_single_process_communicator();

// backend: "auto" (mpi when launched by mpirun/srun with more than one rank, else none) | "none" | "mpi" |
// "nccl". ranks_per_job k > 0 splits the world into groups of k consecutive ranks and returns the
// communicator of this rank's group; 0 means one group of all ranks. Throws bgm::Error naming the backend
// and the reason (unknown name, built without MPI/NCCL, no CUDA device, MPI/NCCL call failed).
std::unique_ptr<Communicator> make_communicator(const std::string& backend, int ranks_per_job = 0);

// Data parallelism after backward(): every parameter's gradient becomes the mean over the group's ranks.
// All gradients go into ONE flat bucket and one allreduce_mean_ (a missing grad counts as zeros), then
// are copied back. No-op when comm.size() == 1. BatchNorm running statistics are not touched (per rank).
void allreduce_gradients(Communicator& comm, const std::vector<torch::Tensor>& params);

}  // namespace bgm
