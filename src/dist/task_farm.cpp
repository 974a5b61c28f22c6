// Task farm protocol. Group leaders (group rank 0) send DONE(job) and REQUEST to world rank 0's coordinator
// thread and get ASSIGN(job, or -1 = stop), which they pass to their group with a broadcast. A leader whose
// group stops (preempted) sends STOPPED instead of REQUEST; from then on every request is answered with stop.
// Every wait polls and sleeps instead of blocking: Open MPI's blocking calls spin a core, and an idle
// rank waiting for a job must not slow down the ranks that train on the same (small) node.
#include "dist/task_farm.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <set>
#include <thread>

#include "core/error.h"
#include "dist/mpi_runtime.h"

namespace bgm {

namespace {

constexpr int kTagRequest = 1;
constexpr int kTagAssign = 2;
constexpr int kTagDone = 3;
constexpr int kTagStopped = 4;
constexpr int kStop = -1;

void nap(int& micros) {
  std::this_thread::sleep_for(std::chrono::microseconds(micros));
  micros = std::min(micros * 2, 20000);  // back off to 20 ms: job hand-outs are rare
}

void wait_politely(MPI_Request& request, const char* what) {
  int done = 0, micros = 100;
  for (;;) {
    check_mpi(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
    if (done) return;
    nap(micros);
  }
}

// Runs on world rank 0 in its own thread until every group was told to stop.
void coordinate(const FarmPlan& plan, int group_count, MPI_Comm farm) {
  std::deque<int> first(plan.first_stage.begin(), plan.first_stage.end());
  std::deque<int> second(plan.second_stage.begin(), plan.second_stage.end());
  const std::set<int> first_stage_jobs(plan.first_stage.begin(), plan.first_stage.end());
  int first_in_flight = 0, stopped = 0;
  bool draining = false;  // a group was preempted: hand out no more jobs
  std::deque<int> waiting;  // world ranks of leaders whose request is not answered yet
  while (stopped < group_count) {
    int arrived = 0, micros = 100;
    MPI_Status status;
    while (!arrived) {
      check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, farm, &arrived, &status), "MPI_Iprobe(task farm)");
      if (!arrived) nap(micros);
    }
    int payload = 0;
    check_mpi(MPI_Recv(&payload, 1, MPI_INT, status.MPI_SOURCE, status.MPI_TAG, farm, MPI_STATUS_IGNORE),
              "MPI_Recv(task farm)");
    if (status.MPI_TAG == kTagDone && first_stage_jobs.count(payload)) --first_in_flight;
    if (status.MPI_TAG == kTagRequest) waiting.push_back(status.MPI_SOURCE);
    if (status.MPI_TAG == kTagStopped) {
      ++stopped;
      draining = true;
    }
    // Second-stage jobs wait until every first-stage job has finished, not merely been handed out.
    while (!waiting.empty()) {
      int job = kStop;
      if (draining) {
        ++stopped;
      } else if (!first.empty()) {
        job = first.front();
        first.pop_front();
        ++first_in_flight;
      } else if (first_in_flight > 0) {
        break;
      } else if (!second.empty()) {
        job = second.front();
        second.pop_front();
      } else {
        ++stopped;
      }
      const int leader = waiting.front();
      waiting.pop_front();
      check_mpi(MPI_Send(&job, 1, MPI_INT, leader, kTagAssign, farm), "MPI_Send(task farm assign)");
    }
  }
}

}  // namespace

int run_task_farm(const FarmPlan& plan, int ranks_per_job, const std::function<bool(int job)>& run_on_group) {
  if (mpi_thread_level() < MPI_THREAD_MULTIPLE)
    throw Error("bgm sweep: the MPI library gives thread level " + std::to_string(mpi_thread_level()) +
                ", the task farm needs MPI_THREAD_MULTIPLE (its coordinator is a thread on rank 0)");
  const GroupLayout layout = group_layout(ranks_per_job);
  // Private communicators, so farm messages never match the job communicator's traffic.
  MPI_Comm farm = MPI_COMM_NULL, group = MPI_COMM_NULL;
  check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &farm), "MPI_Comm_dup(world)");
  check_mpi(MPI_Comm_dup(group_comm(ranks_per_job), &group), "MPI_Comm_dup(group)");

  std::thread coordinator;
  if (layout.world_rank == 0) {
    coordinator = std::thread([&] {
      try {
        coordinate(plan, layout.group_count, farm);
      } catch (const std::exception& e) {
        abort_world(std::string("task farm coordinator: ") + e.what(), 3);
      }
    });
  }

  int jobs_run = 0, finished = kStop;
  bool go_on = true;
  for (;;) {
    int job = kStop;
    if (layout.group_rank == 0) {
      if (finished != kStop)
        check_mpi(MPI_Send(&finished, 1, MPI_INT, 0, kTagDone, farm), "MPI_Send(task farm done)");
      if (go_on) {
        check_mpi(MPI_Send(&finished, 1, MPI_INT, 0, kTagRequest, farm), "MPI_Send(task farm request)");
        MPI_Request request;
        check_mpi(MPI_Irecv(&job, 1, MPI_INT, 0, kTagAssign, farm, &request), "MPI_Irecv(task farm assign)");
        wait_politely(request, "MPI_Test(task farm assign)");
      } else {
        check_mpi(MPI_Send(&finished, 1, MPI_INT, 0, kTagStopped, farm), "MPI_Send(task farm stopped)");
      }
    }
    MPI_Request request;
    check_mpi(MPI_Ibcast(&job, 1, MPI_INT, 0, group, &request), "MPI_Ibcast(task farm job)");
    wait_politely(request, "MPI_Test(task farm job)");
    if (job == kStop) break;
    try {
      go_on = run_on_group(job);
    } catch (const std::exception& e) {
      abort_world("job " + std::to_string(job) + ": " + e.what(), 3);
    }
    ++jobs_run;
    finished = job;
  }

  if (coordinator.joinable()) coordinator.join();
  MPI_Comm_free(&group);
  MPI_Comm_free(&farm);
  return jobs_run;
}

}  // namespace bgm
