// The "nccl" backend: gradient collectives on CUDA tensors with NCCL, one GPU per rank (node-local rank
// modulo the visible devices). The ncclUniqueId travels over MPI; host-side values (metric sums, barrier)
// go over the same MPI group communicator, since they are doubles the trainer already holds on the host.
#include <cuda_runtime_api.h>
#include <mpi.h>
#include <nccl.h>

#ifdef BGM_TORCH_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

#include "core/error.h"
#include "dist/backends.h"
#include "dist/mpi_runtime.h"

namespace bgm {

namespace {

void check_cuda(cudaError_t rc, const char* call) {
  if (rc == cudaSuccess) return;
  throw Error(std::string(call) + " failed: CUDA error " + std::to_string(static_cast<int>(rc)) + " (" +
              cudaGetErrorString(rc) + ")");
}

ncclDataType_t nccl_type_of(const torch::Tensor& t, const char* what) {
  switch (t.scalar_type()) {
    case torch::kFloat: return ncclFloat32;
    case torch::kDouble: return ncclFloat64;
    case torch::kHalf: return ncclFloat16;
    case torch::kBFloat16: return ncclBfloat16;
    case torch::kInt: return ncclInt32;
    case torch::kLong: return ncclInt64;
    default:
      throw Error(std::string("nccl backend ") + what + ": unsupported tensor dtype " +
                  std::string(c10::toString(t.scalar_type())));
  }
}

class NcclCommunicator final : public Communicator {
 public:
  NcclCommunicator(MPI_Comm group, int device) : group_(group), device_(device) {
    check_mpi(MPI_Comm_rank(group_, &rank_), "MPI_Comm_rank");
    check_mpi(MPI_Comm_size(group_, &size_), "MPI_Comm_size");
    check_cuda(cudaSetDevice(device_), "cudaSetDevice");
#ifndef BGM_TORCH_CUDA
    // A CPU-only LibTorch has no CUDA tensors; collectives then run on a private stream and synchronize.
    check_cuda(cudaStreamCreate(&own_stream_), "cudaStreamCreate");
#endif
    ncclUniqueId id;
    if (rank_ == 0) check_nccl(ncclGetUniqueId(&id), "ncclGetUniqueId");
    check_mpi(MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, group_), "MPI_Bcast(ncclUniqueId)");
    check_nccl(ncclCommInitRank(&comm_, size_, id, rank_), "ncclCommInitRank");
  }

  ~NcclCommunicator() override {
    if (comm_) ncclCommDestroy(comm_);
    if (own_stream_) cudaStreamDestroy(own_stream_);
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string backend() const override { return "nccl"; }
  int cuda_device() const override { return device_; }

  void allreduce_mean_(torch::Tensor& flat) override {
    check_on_my_device(flat, "allreduce_mean_");
    if (!flat.is_floating_point()) throw Error("nccl backend allreduce_mean_: needs a floating-point tensor");
    // ncclAvg (NCCL >= 2.10) divides inside the reduction: no second kernel, no rounding from a later divide.
    check_nccl(ncclAllReduce(flat.data_ptr(), flat.data_ptr(), static_cast<size_t>(flat.numel()),
                             nccl_type_of(flat, "allreduce_mean_"), ncclAvg, comm_, stream()),
               "ncclAllReduce(ncclAvg)");
    finish();
  }

  void broadcast_(torch::Tensor& tensor, int root) override {
    check_on_my_device(tensor, "broadcast_");
    check_nccl(ncclBroadcast(tensor.data_ptr(), tensor.data_ptr(), static_cast<size_t>(tensor.numel()),
                             nccl_type_of(tensor, "broadcast_"), root, comm_, stream()),
               "ncclBroadcast");
    finish();
  }

  double allreduce_sum(double value) override {
    double total = 0.0;
    check_mpi(MPI_Allreduce(&value, &total, 1, MPI_DOUBLE, MPI_SUM, group_), "MPI_Allreduce(sum)");
    return total;
  }

  void barrier() override {
    check_cuda(cudaStreamSynchronize(stream()), "cudaStreamSynchronize");
    check_mpi(MPI_Barrier(group_), "MPI_Barrier");
  }

  [[noreturn]] void abort(const std::string& reason) override {
    if (comm_) ncclCommAbort(comm_);  // unblocks kernels stuck waiting for a dead peer
    comm_ = nullptr;
    abort_world(reason, 3);
  }

 private:
  void check_nccl(ncclResult_t rc, const char* call) const {
    if (rc == ncclSuccess) return;
    std::string detail = ncclGetErrorString(rc);
    if (comm_) {
      const char* last = ncclGetLastError(comm_);
      if (last && *last) detail += "; " + std::string(last);
    }
    throw Error(std::string(call) + " failed: NCCL result " + std::to_string(static_cast<int>(rc)) + " (" +
                detail + ")");
  }

  void check_on_my_device(const torch::Tensor& t, const char* what) const {
    if (!t.is_cuda() || t.get_device() != device_ || !t.is_contiguous())
      throw Error(std::string("nccl backend ") + what + ": needs a contiguous tensor on cuda:" +
                  std::to_string(device_) + ", got one on " + t.device().str());
  }

  // Collectives are queued on torch's current stream so they order after the backward kernels.
  cudaStream_t stream() const {
#ifdef BGM_TORCH_CUDA
    return c10::cuda::getCurrentCUDAStream(static_cast<c10::DeviceIndex>(device_)).stream();
#else
    return own_stream_;
#endif
  }

  void finish() {
    if (own_stream_) check_cuda(cudaStreamSynchronize(own_stream_), "cudaStreamSynchronize");
  }

  MPI_Comm group_;
  int device_ = 0;
  int rank_ = 0, size_ = 1;
  ncclComm_t comm_ = nullptr;
  cudaStream_t own_stream_ = nullptr;
};

}  // namespace

std::unique_ptr<Communicator> make_nccl_communicator(int ranks_per_job) {
  const MPI_Comm group = group_comm(ranks_per_job);
  const int local = local_rank();  // collective when no launcher variable names it: call on every rank
  int devices = 0;
  const cudaError_t rc = cudaGetDeviceCount(&devices);
  if (rc != cudaSuccess || devices == 0) {
    std::string why = rc != cudaSuccess ? "cudaGetDeviceCount returned " + std::to_string(static_cast<int>(rc)) +
                                              " (" + cudaGetErrorString(rc) + ")"
                                        : "cudaGetDeviceCount found 0 devices";
    throw Error("--backend nccl: no CUDA device on host " + host_name() + ": " + why);
  }
#ifndef BGM_TORCH_CUDA
  throw Error("--backend nccl: this bgm is linked against a CPU-only LibTorch, which has no CUDA tensors; "
              "rebuild with a CUDA LibTorch (-DCMAKE_PREFIX_PATH) or use --backend mpi");
#endif
  return std::make_unique<NcclCommunicator>(group, local % devices);
}

}  // namespace bgm
