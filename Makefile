# User-facing targets. `make demo` and `make test` do all set-up on a fresh Debian machine.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BGM := $(BUILD)/bin/bgm
MANIFEST ?= jobs/demo.json
RESULTS ?= results
CMAKE_FLAGS ?=
PREFIX ?= /usr/local
DATASETS ?= cifar10 cifar100 cinic10

.PHONY: all deps build programs install data test test-faults demo reproduce tables figures bench bench-jobs bench-gpu gpu-check clean test-container sif lint

all: build

deps:
	bash containers/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The two programs alone (no tests): what make demo and make reproduce need.
programs: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target bgm bgm-aggregate

# P/bin/bgm, P/bin/bgm-aggregate, P/share/bgm/{jobs,slurm,analysis,containers,modulefile} (README "Install on a cluster").
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# The official archives, checked and unpacked into $BGM_DATA (README "Datasets"); restricted-imagenet prints its steps.
data: build
	$(BGM) fetch $(DATASETS)

test: build
	cd $(BUILD) && ctest --output-on-failure --timeout 1500

# The fault-injection harness alone, with other kill moments: a random seed (printed) unless BGM_FAULT_SEED is set,
# BGM_FAULT_KILLS kills per job kind (default 5).
test-faults: build
	cd $(BUILD) && BGM_FAULT_SLOW=1 BGM_FAULT_SEED=$${BGM_FAULT_SEED:-$$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')} \
	  ctest -R '^faults\.' --output-on-failure --timeout 1500

demo: programs
	bash analysis/run-demo.sh $(BGM) $(RESULTS)/demo

reproduce: programs
	bash slurm/run-local.sh $(BGM) $(MANIFEST) $(RESULTS)

tables: build
	$(BUILD)/bin/bgm-aggregate $(RESULTS) --out $(RESULTS)/tables

figures: tables
	bash analysis/render-figures.sh $(RESULTS)/tables

bench: build
	bash benchmarks/run-bench.sh $(BGM)

# Whole jobs, stage by stage, against benchmarks/authors_job.py (benchmarks/README.md "Whole jobs").
bench-jobs: build
	/usr/bin/python3 benchmarks/run_bench_jobs.py $(BGM)

# On a GPU node, with bgm built against a CUDA LibTorch (README: GPU build) and a python3 whose torch sees the GPU.
bench-gpu:
	bash benchmarks/run-bench-gpu.sh $(BGM)
	bash benchmarks/run-bench-packing.sh $(BGM)

# On a GPU node, with bgm built against a CUDA LibTorch (benchmarks/README.md "GPU check"): every GPU path of a real
# job once, a table of checks; DEVICE=cpu QUICK=1 for a CPU smoke run.
gpu-check:
	bash benchmarks/gpu-check.sh $(BGM)

test-container:
	bash containers/test-container.sh

sif:
	bash containers/build-sif.sh

lint:
	bash containers/lint.sh

clean:
	rm -rf $(BUILD)
