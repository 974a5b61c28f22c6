// Collectives and the gradient bucket, checked with real ranks: CTest runs this binary under
// `mpirun -np 2` (every rank runs every test; expected values are computed from the rank) and alone.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "dist/communicator.h"

namespace bgm {
namespace {

std::unique_ptr<Communicator>& world() {
  static std::unique_ptr<Communicator> comm = make_communicator("auto");
  return comm;
}

TEST(Communicator, AutoPicksMpiUnderMpirunAndNoneAlone) {
  Communicator& comm = *world();
#ifdef HAVE_MPI
  EXPECT_EQ(comm.backend(), comm.size() > 1 ? "mpi" : "none");
#else
  EXPECT_EQ(comm.backend(), "none");
#endif
  EXPECT_GE(comm.rank(), 0);
  EXPECT_LT(comm.rank(), comm.size());
}

TEST(Communicator, AllreduceMeanAveragesFloatAndDouble) {
  Communicator& comm = *world();
  const int n = comm.size();
  // Rank r holds (r+1) * [0, 1, ..., 9]; the mean over ranks is (n+1)/2 * [0..9].
  for (auto dtype : {torch::kFloat, torch::kDouble}) {
    torch::Tensor t = torch::arange(10, torch::TensorOptions().dtype(dtype)) * (comm.rank() + 1);
    comm.allreduce_mean_(t);
    const torch::Tensor expected = torch::arange(10, torch::TensorOptions().dtype(dtype)) * ((n + 1) / 2.0);
    EXPECT_TRUE(torch::allclose(t, expected)) << t;
  }
}

TEST(Communicator, BroadcastCopiesRootValues) {
  Communicator& comm = *world();
  const int root = comm.size() - 1;
  torch::Tensor t = torch::full({3, 4}, static_cast<float>(comm.rank() * 10 + 1));
  comm.broadcast_(t, root);
  EXPECT_TRUE(torch::equal(t, torch::full({3, 4}, static_cast<float>(root * 10 + 1))));
}

TEST(Communicator, AllreduceSumAddsOverRanks) {
  Communicator& comm = *world();
  const int n = comm.size();
  EXPECT_DOUBLE_EQ(comm.allreduce_sum(comm.rank() + 0.5), n * (n - 1) / 2.0 + 0.5 * n);
  comm.barrier();
}

// One step of data parallelism by hand: rank r's gradient comes from its own shard; after
// allreduce_gradients every rank holds the gradient of the mean loss over all shards.
TEST(Communicator, GradientBucketEqualsFullBatchGradient) {
  Communicator& comm = *world();
  const int n = comm.size();
  torch::manual_seed(7);
  torch::nn::Linear layer(3, 2);
  torch::Tensor unused = layer->register_parameter("unused", torch::ones({2}));  // never in the forward
  torch::manual_seed(11);
  const torch::Tensor inputs = torch::randn({4 * n, 3}), targets = torch::randn({4 * n, 2});

  const torch::Tensor shard_in = inputs.narrow(0, 4 * comm.rank(), 4), shard_target = targets.narrow(0, 4 * comm.rank(), 4);
  torch::mse_loss(layer->forward(shard_in), shard_target).backward();
  allreduce_gradients(comm, layer->parameters());

  // The same layer on the whole batch, no communication.
  torch::manual_seed(7);
  torch::nn::Linear reference(3, 2);
  torch::mse_loss(reference->forward(inputs), targets).backward();
  EXPECT_TRUE(torch::allclose(layer->weight.grad(), reference->weight.grad(), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(layer->bias.grad(), reference->bias.grad(), 1e-6, 1e-6));
  if (n > 1) {
    ASSERT_TRUE(unused.grad().defined());  // joined the bucket as zeros
    EXPECT_TRUE(torch::equal(unused.grad(), torch::zeros({2})));
  }
}

TEST(Communicator, GroupsOfOneRankAreAlone) {
#ifdef HAVE_MPI
  if (world()->size() == 1) GTEST_SKIP() << "needs mpirun";
  auto alone = make_communicator("mpi", 1);
  EXPECT_EQ(alone->size(), 1);
  EXPECT_EQ(alone->rank(), 0);
  torch::Tensor t = torch::full({2}, static_cast<float>(world()->rank()));
  alone->allreduce_mean_(t);  // a group of one: unchanged
  EXPECT_TRUE(torch::equal(t, torch::full({2}, static_cast<float>(world()->rank()))));
#else
  GTEST_SKIP() << "built without MPI";
#endif
}

TEST(Communicator, RanksPerJobMustDivideTheWorld) {
#ifdef HAVE_MPI
  const int n = world()->size();
  try {
    make_communicator("mpi", n + 1);
    FAIL() << "no error for --ranks-per-job " << n + 1;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--ranks-per-job"), std::string::npos) << e.what();
  }
#else
  GTEST_SKIP() << "built without MPI";
#endif
}

TEST(Communicator, UnknownBackendIsNamed) {
  try {
    make_communicator("gloo");
    FAIL() << "no error for backend gloo";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'gloo'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bgm
