// `bgm run JOB.json` / `bgm run --manifest M --stage init|train --index I`: one job, one result JSON.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "core/json_reader.h"
#include "core/manifest.h"
#include "dist/communicator.h"
#include "train/preemption.h"
#include "train/run_job.h"

namespace bgm {

namespace {

JobSpec job_from_args(const ParsedArgs& args, bool& init_only) {
  if (args.has("--manifest")) {
    if (!args.positional.empty()) throw Error("bgm run: give either JOB.json or --manifest, not both");
    const Manifest manifest = load_manifest(args.get("--manifest"), args.get("--output"));
    const std::string stage = args.get("--stage", "train");
    const auto& jobs = manifest.stage(stage);
    if (!args.has("--index")) throw Error("bgm run: --manifest needs --index I (see bgm list " + manifest.path + ")");
    const long long index = args.get_int("--index", 0);
    if (index < 0 || index >= static_cast<long long>(jobs.size()))
      throw Error("bgm run: --index " + std::to_string(index) + " is out of range: stage '" + stage + "' of " +
                  manifest.path + " has " + std::to_string(jobs.size()) + " jobs");
    if (stage == "init") init_only = true;
    return jobs[static_cast<size_t>(index)].job;
  }
  for (const char* flag : {"--index", "--stage"})
    if (args.has(flag)) throw UsageError(std::string("flag ") + flag + " goes with --manifest M (bgm run --manifest M --index I)");
  if (args.positional.size() != 1) throw Error("bgm run: expected one JOB.json (or --manifest M --index I)");
  boost::json::value doc = parse_json_file(args.positional[0]);
  if (args.has("--output") && doc.is_object()) doc.as_object()["output"] = args.get("--output");
  return parse_job(doc, args.positional[0]);
}

int run_command(const std::vector<std::string>& raw) {
  const ParsedArgs args = parse_args(raw, "run", {"--manifest", "--stage", "--index", "--output", "--device", "--threads", "--backend"},
                                     {"--init-only", "--quiet", "--print-job"});
  bool init_only = args.has("--init-only");
  if (args.has("--output") && args.get("--output").empty()) throw UsageError("flag --output: expected a folder, got ''");
  JobSpec job = job_from_args(args, init_only);
  // Through the job parser, so that the flags get the JSON keys' checks (a device name, 1 to 1024 threads).
  for (const auto& [flag, key] : {std::pair{"--device", "device"}, std::pair{"--threads", "threads"}}) {
    if (!args.has(flag)) continue;
    boost::json::value doc = job_to_json(job);
    if (std::string(key) == "threads") doc.as_object()[key] = args.get_int(flag, 1);
    else doc.as_object()[key] = args.get(flag);
    job = parse_job(doc, std::string("flag ") + flag);
  }
  if (args.has("--print-job")) {
    std::cout << boost::json::serialize(job_to_json(job)) << "\n";
    return 0;
  }
  auto comm = make_communicator(args.get("--backend", "auto"));
  try {
    RunOptions options;
    options.init_only = init_only;
    options.quiet = args.has("--quiet");
    return run_job(job, *comm, options);
  } catch (const Preempted& p) {
    std::fprintf(stderr, "bgm run: %s: checkpoint written, exiting for requeue\n", p.what());
    return 128 + p.signal;
  } catch (const Error& e) {
    if (comm->size() > 1) comm->abort(std::string("bgm run: error: ") + e.what());
    throw;
  }
}

CommandRegistration run_registration{{"run", "JOB.json [--output DIR] [--device D] [--threads N] [--backend B] [--init-only] [--quiet] [--print-job] | --manifest M [--stage init|train] --index I",
                                  "run one job (Algorithm 1 init if needed, training, metrics) and write its result JSON",
                                  run_command,
                                  "  JOB.json            a job spec (README \"Job spec\"); or, instead:\n"
                                  "  --manifest M        a manifest, with --index I (0-based within --stage; see bgm list M)\n"
                                  "  --stage init|train  the manifest's stage (default train; init = the adversarial-init jobs)\n"
                                  "  --output DIR        results folder (default: the job's \"output\", else results/)\n"
                                  "  --device D          cpu | cuda | cuda:N | auto (default: the job's, auto)\n"
                                  "  --threads N         CPU threads for LibTorch and the BLAS (default: the job's, 1)\n"
                                  "  --backend B         auto | none | mpi | nccl (default auto: mpi under mpirun/srun with >1 rank)\n"
                                  "  --init-only         run only the adversarial-init stage\n"
                                  "  --quiet             no progress lines\n"
                                  "  --print-job         print the fully resolved job JSON and exit\n"
                                  "Exit: 0 done or already complete, 2 bad input or a failed write, 128+signal after SIGTERM/SIGUSR1\n"
                                  "(checkpoint written; rerun to resume).\n\n"
                                  "example: bgm run --manifest jobs/demo.json --index 0 --output results/demo"}};

}  // namespace

}  // namespace bgm
