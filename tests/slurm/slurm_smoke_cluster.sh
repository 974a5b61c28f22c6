#!/bin/bash
# Starts a one-node Slurm cluster (munge, slurmctld, slurmd; no systemd, no cgroups) in a scratch
# folder, submits jobs/smoke.json with slurm/submit.sh, preempts one running training task with
# `scancel --signal=USR1 --batch`, and checks that it was requeued, resumed from its checkpoint and
# that every job has a complete result; a second submit.sh must find nothing left to submit.
# The daemons are stopped by PID on every exit path. Exit 77 (CTest skip) when slurmctld is missing.
#
# usage: tests/slurm/slurm_smoke_cluster.sh BGM_BINARY SOURCE_DIR
set -euo pipefail

bgm=$1 src=$2
for daemon in slurmctld slurmd munged; do
  if ! command -v "$daemon" > /dev/null && [[ ! -x /usr/sbin/$daemon ]]; then
    echo "SKIP: $daemon is not installed (apt-get install slurm-wlm munge)"
    exit 77
  fi
done
export PATH=$PATH:/usr/sbin
manifest=$src/jobs/smoke.json

scratch=$(mktemp -d /tmp/bgm-slurm.XXXXXX)  # short: munge's socket path must fit in 108 bytes
chmod 711 "$scratch"
out=$scratch/results
pids=()  # daemons, stopped in reverse order
fail() {
  echo "FAIL: $*" >&2
  for f in "$scratch"/slurm/log/*.log "$out"/logs/*.out; do
    [[ -f $f ]] && { echo "---- $f (last 40 lines)" >&2; tail -n 40 "$f" >&2; }
  done
  exit 1
}
cleanup() {
  local status=$?
  if [[ -n ${SLURM_CONF:-} ]] && [[ ${#pids[@]} -gt 1 ]]; then
    scancel --user="$(id -un)" 2>/dev/null || true
    sleep 1
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${pids[i]}" 2>/dev/null || true
  done
  if [[ $status -eq 0 ]]; then rm -rf "$scratch"; else echo "scratch kept for inspection: $scratch" >&2; fi
}
trap cleanup EXIT

# Waits up to $1 seconds for the command in $2... to succeed.
wait_for() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [[ $SECONDS -lt $deadline ]] || return 1
    sleep 0.5
  done
}
port_free() { ! (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- munge, with a key of its own
mkdir -p "$scratch/munge" "$scratch/slurm/state" "$scratch/slurm/spool" "$scratch/slurm/log"
chmod 700 "$scratch/munge"
dd if=/dev/urandom of="$scratch/munge/key" bs=1024 count=1 status=none
chmod 600 "$scratch/munge/key"
setsid munged -F --force --socket="$scratch/munge/munge.socket" --key-file="$scratch/munge/key" \
  --log-file="$scratch/munge/munged.log" --pid-file="$scratch/munge/munged.pid" --seed-file="$scratch/munge/seed" \
  > "$scratch/munge/munged.stdout" 2>&1 &
pids+=($!)
wait_for 20 test -S "$scratch/munge/munge.socket" || fail "munged did not create its socket"

# ---- slurm.conf (environment.md section 4), with this host's name and two free ports
host=$(hostname -s)
ctld_port=$((20000 + RANDOM % 20000))
until port_free "$ctld_port" && port_free $((ctld_port + 1)); do ctld_port=$((20000 + RANDOM % 20000)); done
user=$(id -un)
export SLURM_CONF=$scratch/slurm/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=bgmtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$scratch/munge/munge.socket
StateSaveLocation=$scratch/slurm/state
SlurmdSpoolDir=$scratch/slurm/spool
SlurmctldPidFile=$scratch/slurm/slurmctld.pid
SlurmdPidFile=$scratch/slurm/slurmd.pid
SlurmctldLogFile=$scratch/slurm/log/slurmctld.log
SlurmdLogFile=$scratch/slurm/log/slurmd.log
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
KillWait=10
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
setsid slurmctld -D -f "$SLURM_CONF" > "$scratch/slurm/log/slurmctld.stdout" 2>&1 &
pids+=($!)
setsid slurmd -D -f "$SLURM_CONF" > "$scratch/slurm/log/slurmd.stdout" 2>&1 &
pids+=($!)
node_idle() { [[ $(sinfo -h -n "$host" -o %T 2>/dev/null) == idle* ]]; }
wait_for 60 node_idle || fail "the node did not become idle: $(sinfo 2>&1)"
echo "cluster up: $(sinfo -h -o '%P %D %T %c')"

# ---- submit the smoke manifest; preempt the long training task once it has a checkpoint
"$src/slurm/submit.sh" "$manifest" --bgm "$bgm" --output "$out" --gpus 0 --cpus 1 --time 20 \
  || fail "submit.sh failed"
train_job=$(awk -F'\t' '$3 == "train" {id = $4} END {print id}' "$out/logs/submissions.tsv")
[[ -n $train_job ]] || fail "submit.sh recorded no training array"
read -r _ preempt_index _ _ _ preempt_dir _ < <("$bgm" list "$manifest" --output "$out" --stage train | grep 'part=preemptible')
[[ -n $preempt_dir ]] || fail "jobs/smoke.json has no part=preemptible job"
task=${train_job}_$preempt_index
wait_for 600 test -f "$preempt_dir/checkpoint.pt" || fail "task $task wrote no checkpoint.pt in $preempt_dir"
[[ ! -f $preempt_dir/result.json ]] || fail "task $task finished before it could be preempted: make it longer"
scancel --signal=USR1 --batch "$task" || fail "scancel --signal=USR1 --batch $task"
echo "sent USR1 to $task"

queue_empty() { [[ -z $(squeue -h -o %i) ]]; }
wait_for 900 queue_empty || fail "jobs still queued after 15 minutes: $(squeue)"

# ---- every job has a complete result
[[ $("$bgm" list "$manifest" --output "$out" --pending --count) == 0 ]] \
  || fail "jobs without a complete result: $("$bgm" list "$manifest" --output "$out" --pending)"
results=0
while read -r _ _ _ _ _ dir _; do
  grep -q '"status": *"complete"' "$dir/result.json" || fail "$dir/result.json is not complete"
  results=$((results + 1))
done < <("$bgm" list "$manifest" --output "$out" | grep -v '^#')
echo "$results results complete"

# ---- the preempted task forwarded the signal, bgm checkpointed, the task was requeued and resumed
log=$out/logs/${task}.out
[[ -f $log ]] || fail "no log $log"
grep -q 'caught SIGUSR1' "$log" || fail "$log: the batch script did not catch USR1"
grep -q 'checkpoint written, exiting for requeue' "$log" || fail "$log: bgm did not checkpoint on USR1"
grep -q "requeueing job" "$log" || fail "$log: the task did not requeue itself"
grep -q 'restart 1' "$log" || fail "$log: the task did not run a second time"
grep -Eq 'resuming from .*checkpoint.pt at epoch [1-9]' "$log" || fail "$log: bgm did not resume from its checkpoint"
echo "task $task: preempted, requeued, resumed: $(grep -Eo 'resuming from .* at epoch [0-9]+' "$log" | head -1)"

# ---- status.sh agrees, and a second submission has nothing left to submit
status=$("$src/slurm/status.sh" "$manifest" --output "$out" --bgm "$bgm")
echo "$status"
awk '$1 == "init" || $1 == "train" {if ($2 != $3 || $6 != 0) bad = 1} END {exit bad}' <<< "$status" \
  || fail "status.sh does not report every job done"
again=$("$src/slurm/submit.sh" "$manifest" --bgm "$bgm" --output "$out" --gpus 0 2>&1) || fail "second submit.sh: $again"
[[ $(grep -c 'nothing to submit' <<< "$again") == 2 ]] || fail "second submit.sh submitted again: $again"
[[ $(wc -l < "$out/logs/submissions.tsv") == 2 ]] || fail "second submit.sh recorded a new submission"

# ---- several jobs a task (--jobs-per-gpu 2 without GPUs: two jobs at once on the task's CPUs)
packed=$scratch/packed
"$src/slurm/submit.sh" "$manifest" --bgm "$bgm" --output "$packed" --gpus 0 --cpus 2 --jobs-per-gpu 2 --time 20 \
  || fail "submit.sh --jobs-per-gpu 2 failed"
wait_for 900 queue_empty || fail "packed jobs still queued after 15 minutes: $(squeue)"
[[ $("$bgm" list "$manifest" --output "$packed" --pending --count) == 0 ]] \
  || fail "--jobs-per-gpu 2: jobs without a complete result: $("$bgm" list "$manifest" --output "$packed" --pending)"
trains=$("$bgm" list "$manifest" --output "$packed" --stage train --count)
tasks=$(grep -l -- '--jobs-per-gpu 2' "$packed"/logs/*.out | wc -l)
[[ $tasks -ge 1 && $tasks -le $(((trains + 1) / 2 + 1)) ]] || fail "--jobs-per-gpu 2: $tasks tasks ran bgm sweep for $trains training jobs"
grep -h 'sweep: started' "$packed"/logs/*.out | grep -q '(2 of 2 there' || fail "--jobs-per-gpu 2: no task ran two jobs at once"
echo "--jobs-per-gpu 2: every job complete from $tasks packed tasks"
echo "PASS"
