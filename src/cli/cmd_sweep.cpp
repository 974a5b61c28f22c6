// `bgm sweep MANIFEST`: runs every job of a manifest, adversarial-init stage first. Under mpirun/srun the
// world is split into groups of --ranks-per-job ranks that take jobs from a task farm (src/dist/task_farm.h);
// with --jobs-per-gpu K, K jobs run at once on each device as child processes (cli/packed_sweep.h); else in one
// process the jobs simply run in order. Jobs with a complete result.json are skipped.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/packed_sweep.h"
#include "core/error.h"
#include "core/stopwatch.h"
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
  int jobs_per_gpu = 0;  // 0: not packed
  std::string stage;     // "" = both
  std::string indices;   // "" = all of the stage
  std::string device;    // "" = each job's own
  long long device_memory_mb = 0;
  bool quiet = false;
};

// "0-3,7": indices within a stage, as `bgm list --indices` prints them and Slurm arrays take them.
std::vector<int64_t> parse_index_list(const std::string& text) {
  std::vector<int64_t> out;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    const size_t dash = item.find('-');
    try {
      size_t used = 0;
      const long long first = std::stoll(item.substr(0, dash), &used);
      if (used != (dash == std::string::npos ? item.size() : dash)) throw std::invalid_argument(item);
      long long last = first;
      if (dash != std::string::npos) {
        last = std::stoll(item.substr(dash + 1), &used);
        if (used != item.size() - dash - 1) throw std::invalid_argument(item);
      }
      if (first < 0 || last < first) throw std::invalid_argument(item);
      for (long long i = first; i <= last; ++i) out.push_back(i);
    } catch (const std::exception&) {
      throw Error("--indices: expected a list like 0-3,7,9 (indices within the stage), got '" + text + "'");
    }
    at = comma + 1;
  }
  return out;
}

// Keeps the jobs that --stage and --indices name; an index beyond the stage is an error.
void select_jobs(Manifest& manifest, const SweepOptions& options) {
  if (!options.stage.empty()) {
    manifest.stage(options.stage);  // validates the name
    (options.stage == "init" ? manifest.train_jobs : manifest.init_jobs).clear();
  }
  if (options.indices.empty()) return;
  if (options.stage.empty()) throw Error("--indices needs --stage init or --stage train (indices count within a stage)");
  auto& jobs = options.stage == "init" ? manifest.init_jobs : manifest.train_jobs;
  std::vector<ManifestJob> kept;
  for (const int64_t i : parse_index_list(options.indices)) {
    if (i >= static_cast<int64_t>(jobs.size()))
      throw Error("--indices: " + std::to_string(i) + " is out of range: stage '" + options.stage + "' of " +
                  manifest.path + " has " + std::to_string(jobs.size()) + " jobs");
    kept.push_back(jobs[static_cast<size_t>(i)]);
  }
  jobs = kept;
}

int run_packed(Manifest manifest, const SweepOptions& options) {
  std::vector<const ManifestJob*> todo;
  int skipped = 0;
  for (const auto* stage : {&manifest.init_jobs, &manifest.train_jobs})
    for (const auto& entry : *stage) {
      if (job_complete(entry)) ++skipped;
      else todo.push_back(&entry);
    }
  std::printf("sweep: %s: %zu jobs to run, %d already complete\n", manifest.name.c_str(), todo.size(), skipped);
  PackedSweepOptions packed;
  packed.manifest_path = manifest.path;
  packed.output = options.output;
  packed.device = options.device.empty() ? "auto" : options.device;
  packed.jobs_per_device = options.jobs_per_gpu;
  packed.device_memory_mb = options.device_memory_mb;
  packed.quiet = options.quiet;
  return run_packed_sweep(manifest, todo, packed);
}


// Runs one manifest job on this process's communicator; returns only on success.
void run_manifest_job(const ManifestJob& entry, Communicator& comm, const SweepOptions& options, int group) {
  RunOptions run_options;
  JobSpec job = entry.job;
  if (!options.device.empty()) job.device = options.device;
  run_options.init_only = entry.stage == "init";
  run_options.quiet = options.quiet;
  const auto start = std::chrono::steady_clock::now();
  int rc = 0;
  try {
    rc = run_job(job, comm, run_options);
  } catch (const Error& e) {  // which job failed, not only why
    throw Error(entry.source + " (" + entry.stage + " job " + entry.id + "): " + e.what());
  }
  if (rc != 0) throw Error(entry.source + ": run_job returned " + std::to_string(rc));
  if (comm.rank() == 0) {  // also under --quiet: one line a job is the sweep's record, not progress
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
      if (const int s = pending_preemption_signal()) {  // came during the last job's metrics: start no other
        std::fprintf(stderr, "bgm sweep: preempted by signal %d before %s (%s)\n", s, entry.source.c_str(), entry.id.c_str());
        return 128 + s;
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
    select_jobs(manifest, options);
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
  // A preempted group has checkpointed its job; the farm then hands out nothing more, the other groups finish or
  // checkpoint theirs (the signal reaches every rank), and every rank exits 128+signal for a requeue.
  int preempted = 0;
  run_task_farm(plan, options.ranks_per_job, [&](int n) {
    const ManifestJob& entry = n < init_count ? manifest.init_jobs[n] : manifest.train_jobs[n - init_count];
    try {
      run_manifest_job(entry, *comm, options, layout.group_index);
    } catch (const Preempted& p) {
      if (layout.group_rank == 0)
        std::fprintf(stderr, "bgm sweep: %s (%s): %s: checkpoint written\n", entry.source.c_str(), entry.id.c_str(), p.what());
      preempted = p.signal;
    } catch (const std::exception& e) {
      comm->abort(entry.source + " (" + entry.id + "): " + e.what());  // every rank of every group stops
    }
    if (!preempted) preempted = pending_preemption_signal();  // came after the job: start no other
    return preempted == 0;
  });
  if (!preempted) preempted = pending_preemption_signal();
  if (preempted) return 128 + preempted;
  if (layout.world_rank == 0) std::printf("sweep: %s: all jobs done\n", manifest.name.c_str());
  return 0;
}
#endif

int sweep_main(const std::vector<std::string>& args) {
  const ParsedArgs parsed = parse_args(
      args, "sweep",
      {"--ranks-per-job", "--output", "--backend", "--jobs-per-gpu", "--stage", "--indices", "--device",
       "--device-memory-mb"},
      {"--quiet"});
  if (parsed.positional.size() != 1) throw Error("bgm sweep: expected one MANIFEST file (see bgm help)");
  SweepOptions options;
  options.manifest_path = parsed.positional[0];
  options.output = parsed.get("--output");
  if (parsed.has("--output") && options.output.empty()) throw UsageError("flag --output: expected a folder, got ''");
  options.backend = parsed.get("--backend", "auto");
  options.quiet = parsed.has("--quiet");
  const long long k = parsed.get_int("--ranks-per-job", 1);
  if (k < 1 || k > 1 << 20) throw Error("--ranks-per-job: expected a positive integer, got " + std::to_string(k));
  options.ranks_per_job = static_cast<int>(k);
  options.stage = parsed.get("--stage");
  options.indices = parsed.get("--indices");
  if (parsed.has("--indices") && options.indices.empty())
    throw UsageError("flag --indices: expected a list like 0-3,7 (indices within the stage), got ''");
  options.device = parsed.get("--device");
  if (!options.device.empty() && options.device != "auto" && options.device != "cpu" && options.device != "cuda")
    throw Error("--device: expected auto, cpu or cuda, got '" + options.device + "'");
  if (parsed.has("--jobs-per-gpu")) {
    const long long per_gpu = parsed.get_int("--jobs-per-gpu", 1);
    if (per_gpu < 1 || per_gpu > 64) throw Error("--jobs-per-gpu: expected 1 to 64, got " + std::to_string(per_gpu));
    options.jobs_per_gpu = static_cast<int>(per_gpu);
    if (options.ranks_per_job > 1 || (options.backend != "auto" && options.backend != "none"))
      throw Error("--jobs-per-gpu runs one single-process job per slot; it does not combine with --ranks-per-job "
                  "or --backend " + options.backend);
    if (launched_with_several_ranks())
      throw Error("--jobs-per-gpu: start one bgm sweep per node, not under mpirun/srun with several ranks "
                  "(it starts its own processes)");
  }
  const long long memory_mb = parsed.get_int("--device-memory-mb", 0);
  if (memory_mb < 0) throw Error("--device-memory-mb: expected a positive number of MiB, got " + std::to_string(memory_mb));
  if (memory_mb && !options.jobs_per_gpu) throw Error("--device-memory-mb applies with --jobs-per-gpu only");
  options.device_memory_mb = memory_mb;
  if (options.backend != "auto" && options.backend != "none" && options.backend != "mpi" &&
      options.backend != "nccl")
    throw Error("--backend: expected auto, none, mpi or nccl, got '" + options.backend + "'");

  if (options.backend == "none" && launched_with_several_ranks())
    throw Error("--backend none: this process is one of several ranks, and each would run every job; "
                "use --backend auto/mpi/nccl or start one process");
  if (options.jobs_per_gpu) {
    Manifest manifest = load_manifest(options.manifest_path, options.output);
    select_jobs(manifest, options);
    return run_packed(std::move(manifest), options);
  }
#ifdef HAVE_MPI
  const bool farm = options.backend == "mpi" || options.backend == "nccl" ||
                    (options.backend == "auto" && launched_with_several_ranks());
  if (farm) return run_task_farm_sweep(options);
#endif
  Manifest manifest = load_manifest(options.manifest_path, options.output);
  select_jobs(manifest, options);
  return run_sequentially(manifest, options);
}

const CommandRegistration sweep_registration{{
    "sweep",
    "MANIFEST [--jobs-per-gpu K [--device-memory-mb M]] [--stage S [--indices LIST]] [--device D] "
    "[--ranks-per-job K] [--output DIR] [--backend auto|none|mpi|nccl] [--quiet]",
    "run every job of a manifest (init stage first), skipping complete ones; K jobs at once per GPU, or under "
    "mpirun/srun a task farm of groups of K ranks",
    sweep_main,
    "  MANIFEST            a manifest JSON (jobs/*.json)\n"
    "  --jobs-per-gpu K    run K jobs at once on each visible GPU (on the CPU when there is none), each a\n"
    "                      `bgm run` process, admitted only where its estimated memory fits; logs in\n"
    "                      OUTPUT/logs/sweep-<manifest>-<stage>-<index>.log. Exit 1 if a job failed (the\n"
    "                      others run to the end)\n"
    "  --device-memory-mb M  memory each device offers the packed jobs (default: 90% of nvidia-smi's total,\n"
    "                      or of MemAvailable on the CPU)\n"
    "  --stage S           only the init or the train stage\n"
    "  --indices LIST      only these indices of --stage (e.g. 0-3,7; as bgm list --indices prints)\n"
    "  --device D          auto | cpu | cuda: where the jobs run (default: each job's own device key)\n"
    "  --ranks-per-job K   ranks that train one job together, data parallel (default 1: one job per rank)\n"
    "  --output DIR        results folder (default: the manifest's, else results/)\n"
    "  --backend B         auto | none | mpi | nccl (default auto)\n"
    "  --quiet             no progress lines (the one line per finished job stays)\n\n"
    "Exit: 0 done, 1 some jobs failed (--jobs-per-gpu), 2 bad input or a failed job, 128+signal after SIGTERM/SIGUSR1.\n\n"
    "example: bgm sweep table2 --jobs-per-gpu 4 --output results/table2\n"
    "         mpirun -np 4 bgm sweep jobs/demo.json --ranks-per-job 2 --output results/demo",
}};

}  // namespace

}  // namespace bgm
