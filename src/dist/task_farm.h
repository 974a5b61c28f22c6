// MPI task farm for `bgm sweep`: the world is cut into groups of k ranks; a coordinator thread on world
// rank 0 hands out job numbers one at a time (request / assign / done messages), so a long job never
// stalls short ones. World rank 0 also works as a member of group 0. Needs MPI_THREAD_MULTIPLE.
#pragma once
#include <functional>
#include <vector>

namespace bgm {

// The jobs still to run, as caller-defined numbers. Read on world rank 0 only.
struct FarmPlan {
  std::vector<int> first_stage;   // e.g. adversarial-init jobs: all finish before any second-stage job starts
  std::vector<int> second_stage;  // e.g. training jobs
};

// Collective over MPI_COMM_WORLD: every rank calls it. `run_on_group(job)` is called on every member of
// the group that was handed `job`, at the same time; it returns whether the group goes on (the group leader's
// answer counts: false after a preemption, the job checkpointed or finished) or terminates the process (abort).
// Once a group stops, no group is handed another job: the others finish or checkpoint theirs and the farm ends
// on every rank. Returns how many jobs this rank's group ran.
int run_task_farm(const FarmPlan& plan, int ranks_per_job, const std::function<bool(int job)>& run_on_group);

}  // namespace bgm
