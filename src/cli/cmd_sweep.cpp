// `bgm sweep MANIFEST`: runs every job of a manifest, adversarial-init stage first. Under mpirun/srun the
// world is split into groups of --ranks-per-job ranks that take jobs from a task farm (src/dist/task_farm.h);
// in one process the jobs simply run in order. Jobs with a complete result.json are skipped.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "core/error.h"
#include "core/manifest.h"
#include "dist/communicator.h"
#include "dist/mpi_runtime.h"
#include "train/preemption.h"
#include "train/run_job.h"

#ifdef HAVE_MPI
#include "dist/task_farm.h"
#endif

namespace bgm {

namespace {

struct SweepOptions {
  std::string manifest_path;
  std::string output;
  std::string backend = "auto";
  int ranks_per_job = 1;
  bool quiet = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs one manifest job on this process's communicator; returns only on success.
void run_manifest_job(const ManifestJob& entry, Communicator& comm, const SweepOptions& options, int group) {
  RunOptions run_options;
  run_options.init_only = entry.stage == "init";
  run_options.quiet = options.quiet;
  const auto start = std::chrono::steady_clock::now();
  const int rc = run_job(entry.job, comm, run_options);
  if (rc != 0) throw Error(entry.source + ": run_job returned " + std::to_string(rc));
  if (comm.rank() == 0) {
    std::printf("sweep: group %d ran %s job %s (%s) in %.1f s\n", group, entry.stage.c_str(), entry.id.c_str(),
                entry.tag.c_str(), seconds_since(start));
    std::fflush(stdout);
  }
}

int run_sequentially(const Manifest& manifest, const SweepOptions& options) {
  if (options.ranks_per_job > 1)
    throw Error("--ranks-per-job " + std::to_string(options.ranks_per_job) +
                ": needs several ranks (start bgm sweep under mpirun or srun)");
  auto comm = make_communicator(options.backend == "auto" ? "none" : options.backend, 0);
  int ran = 0, skipped = 0;
  for (const auto* stage : {&manifest.init_jobs, &manifest.train_jobs}) {
    for (const auto& entry : *stage) {
      if (job_complete(entry)) {
        ++skipped;
        continue;
      }
      try {
        run_manifest_job(entry, *comm, options, 0);
      } catch (const Preempted& p) {
        // The trainer has checkpointed; 128+signal (like `bgm run`) lets the Slurm job be requeued.
        std::fprintf(stderr, "bgm sweep: %s (%s): %s\n", entry.source.c_str(), entry.id.c_str(), p.what());
        return 128 + p.signal;
      }
      ++ran;
    }
  }
  std::printf("sweep: %s: %d jobs run, %d already complete\n", manifest.name.c_str(), ran, skipped);
  return 0;
}

#ifdef HAVE_MPI
// Every rank loads the manifest and builds its communicator, then all agree: if any rank failed, each failed
// rank prints its reason and all return 2 (no rank is left waiting in a collective, so no MPI_Abort needed).
bool set_up_on_every_rank(const SweepOptions& options, Manifest& manifest, std::unique_ptr<Communicator>& comm) {
  std::string failure;
  try {
    manifest = load_manifest(options.manifest_path, options.output);
    comm = make_communicator(options.backend == "auto" ? "mpi" : options.backend, options.ranks_per_job);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  int ok = failure.empty() ? 1 : 0, all_ok = 0;
  check_mpi(MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), "MPI_Allreduce(setup status)");
  if (all_ok) return true;
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (!failure.empty())
    std::cerr << ("bgm sweep: rank " + std::to_string(rank) + " (host " + host_name() + "): error: " + failure +
                  "\n");  // one write, so ranks' lines do not interleave
  comm.reset();
  return false;
}

int run_task_farm_sweep(const SweepOptions& options) {
  Manifest manifest;
  std::unique_ptr<Communicator> comm;
  if (!set_up_on_every_rank(options, manifest, comm)) return 2;
  const GroupLayout layout = group_layout(options.ranks_per_job);
  // Job numbers: init jobs first, then train jobs. Only the coordinator (world rank 0) reads the plan.
  const int init_count = static_cast<int>(manifest.init_jobs.size());
  const int train_count = static_cast<int>(manifest.train_jobs.size());
  FarmPlan plan;
  if (layout.world_rank == 0) {
    int skipped = 0;
    for (int n = 0; n < init_count + train_count; ++n) {
      const ManifestJob& entry = n < init_count ? manifest.init_jobs[n] : manifest.train_jobs[n - init_count];
      if (job_complete(entry)) {
        ++skipped;
        continue;
      }
      (n < init_count ? plan.first_stage : plan.second_stage).push_back(n);
    }
    std::printf("sweep: %s: %zu init + %zu train jobs to run (%d already complete) on %d groups of %d ranks\n",
                manifest.name.c_str(), plan.first_stage.size(), plan.second_stage.size(), skipped,
                layout.group_count, layout.ranks_per_group);
    std::fflush(stdout);
  }
  run_task_farm(plan, options.ranks_per_job, [&](int n) {
    const ManifestJob& entry = n < init_count ? manifest.init_jobs[n] : manifest.train_jobs[n - init_count];
    try {
      run_manifest_job(entry, *comm, options, layout.group_index);
    } catch (const Preempted& p) {
      // The trainer has checkpointed; exit 128+signal like `bgm run` so the Slurm job can be requeued.
      abort_world(entry.source + " (" + entry.id + "): " + p.what(), 128 + p.signal);
    } catch (const std::exception& e) {
      comm->abort(entry.source + " (" + entry.id + "): " + e.what());  // every rank of every group stops
    }
  });
  if (layout.world_rank == 0) std::printf("sweep: %s: all jobs done\n", manifest.name.c_str());
  return 0;
}
#endif

int sweep_main(const std::vector<std::string>& args) {
  const ParsedArgs parsed =
      parse_args(args, "sweep", {"--ranks-per-job", "--output", "--backend"}, {"--quiet"});
  if (parsed.positional.size() != 1) throw Error("bgm sweep: expected one MANIFEST file (see bgm help)");
  SweepOptions options;
  options.manifest_path = parsed.positional[0];
  options.output = parsed.get("--output");
  options.backend = parsed.get("--backend", "auto");
  options.quiet = parsed.has("--quiet");
  const long long k = parsed.get_int("--ranks-per-job", 1);
  if (k < 1 || k > 1 << 20) throw Error("--ranks-per-job: expected a positive integer, got " + std::to_string(k));
  options.ranks_per_job = static_cast<int>(k);
  if (options.backend != "auto" && options.backend != "none" && options.backend != "mpi" &&
      options.backend != "nccl")
    throw Error("--backend: expected auto, none, mpi or nccl, got '" + options.backend + "'");

  if (options.backend == "none" && launched_with_several_ranks())
    throw Error("--backend none: this process is one of several ranks, and each would run every job; "
                "use --backend auto/mpi/nccl or start one process");
  install_preemption_handlers();
#ifdef HAVE_MPI
  const bool farm = options.backend == "mpi" || options.backend == "nccl" ||
                    (options.backend == "auto" && launched_with_several_ranks());
  if (farm) return run_task_farm_sweep(options);
#endif
  return run_sequentially(load_manifest(options.manifest_path, options.output), options);
}

const CommandRegistration registration{{
    "sweep",
    "MANIFEST [--ranks-per-job K] [--output DIR] [--backend auto|none|mpi|nccl] [--quiet]",
    "run every job of a manifest (init stage first), skipping complete ones; under mpirun/srun a task farm "
    "of groups of K ranks",
    sweep_main,
    "  MANIFEST            a manifest JSON (jobs/*.json)\n"
    "  --ranks-per-job K   ranks that train one job together, data parallel (default 1: one job per rank)\n"
    "  --output DIR        results folder (default: the manifest's, else results/)\n"
    "  --backend B         auto | none | mpi | nccl (default auto)\n"
    "  --quiet             no progress lines\n\n"
    "example: mpirun -np 4 bgm sweep jobs/demo.json --ranks-per-job 2 --output results/demo",
}};

}  // namespace

}  // namespace bgm
