#!/usr/bin/env bash
# Runs the Slurm job array of docs/resilience.md (scripts/slurm/risk-array.sbatch) on a real one-node Slurm on
# loopback: submits a 4-task array, requeues one task while it is solving, merges the shards and checks the
# merged JSON is byte-identical to a single-process `corridor risk` run with the same seed and samples. First it
# checks that the lines docs/resilience.md quotes from the array job are the file's.
#   scripts/test-slurm.sh           needs root (or sudo without a password) and apt: installs Debian's slurm-wlm and
#                                   munge when missing; without them it prints "Slurm test SKIPPED: <reason>", exit 0
#   CORRIDOR_SLURM_SAMPLES=N        samples of the run (default 16000: a few seconds per task on one core)
#   CORRIDOR_SLURM_DIR=DIR          work folder for the config, state, logs and shards (default /tmp/corridor-slurm);
#                                   daemons a previous run left there are stopped first, and it is removed on success
# Daemons run from their own config (SLURM_CONF) and state under DIR, on free loopback ports, and are stopped by pid.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
work="${CORRIDOR_SLURM_DIR:-/tmp/corridor-slurm}"
samples="${CORRIDOR_SLURM_SAMPLES:-16000}"
seed=2024
scenario=kazakh-crude-2024
n_tasks=4
victim=1 # the array task requeued part-way
export PATH="$PATH:/usr/sbin:/sbin"

skip() {
  echo "Slurm test SKIPPED: $*"
  exit 0
}
fail() {
  echo "Slurm test FAILED: $*" >&2
  exit 1
}
log() { echo "slurm: $*"; }

# Polls `$@` every half second until it succeeds; fails with `what` after `secs` seconds.
wait_for() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${secs} s waiting for ${what}"
    sleep 0.5
  done
}

# docs/resilience.md quotes the array job: every line it quotes must be the file's, so the doc shows what is tested.
sbatch_file="$root/scripts/slurm/risk-array.sbatch"
quoted=$(awk '/^### Slurm job array/ {s = 1} s && /^```sh/ {b = 1; next} b && /^```/ {exit} b' docs/resilience.md)
[ -n "$quoted" ] || fail "docs/resilience.md quotes no array job under \"### Slurm job array\""
while IFS= read -r line; do
  grep -qxF -- "$line" "$sbatch_file" || fail "docs/resilience.md quotes a line that scripts/slurm/risk-array.sbatch lacks: $line"
done <<<"$quoted"

# --- root, packages -------------------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  skip "needs root or password-less sudo to install and start slurmctld, slurmd and munged"
fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null ||
  ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || skip "slurm-wlm and munge are not installed and there is no apt-get to install them"
  log "installing slurm-wlm and munge with apt"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || skip "apt-get update failed (no network or no package index?)"
  timeout 600 "${sudo[@]}" apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 ||
    skip "apt-get install slurm-wlm munge failed"
  command -v slurmctld >/dev/null && command -v munged >/dev/null || skip "slurm-wlm installed no slurmctld or munged"
fi

# --- daemons ----------------------------------------------------------------------------------------------------
# Stops a daemon by the pid in its pid file, if that process is still the named daemon (a pid can be reused).
stop_pidfile() {
  local file=$1 name=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    "${sudo[@]}" kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      [ -e "/proc/$pid" ] || break
      sleep 0.25
    done
    [ -e "/proc/$pid" ] && "${sudo[@]}" kill -9 "$pid" 2>/dev/null || true
  fi
  "${sudo[@]}" rm -f "$file"
}

started_munged=0
stop_all() {
  stop_pidfile "$work/slurmd.pid" slurmd
  stop_pidfile "$work/slurmctld.pid" slurmctld
  if [ "$started_munged" = 1 ]; then
    stop_pidfile /run/munge/munged.pid munged
  fi
}

passed=0
cleanup() {
  stop_all
  if [ "$passed" = 1 ]; then
    "${sudo[@]}" rm -rf "$work"
  else
    for f in slurmctld.log slurmd.log; do
      [ -f "$work/$f" ] && { echo "--- last lines of $work/$f" >&2; tail -n 15 "$work/$f" >&2; }
    done
    for f in "$work"/run/slurm-*.out; do
      [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }
    done
    echo "(kept $work for inspection)" >&2
  fi
}

# A previous run that was killed may have left its daemons and jobs: cancel the jobs (their solves would
# otherwise run on, orphaned), stop the daemons, then start afresh in an empty folder.
if [ -f "$work/slurm.conf" ] && [ -f "$work/slurmctld.pid" ]; then
  old_jobs=$(SLURM_CONF="$work/slurm.conf" timeout 10 squeue -h -o %A 2>/dev/null | sort -u || true)
  if [ -n "$old_jobs" ]; then
    log "cancelling jobs a previous run left: ${old_jobs//$'\n'/ }"
    # shellcheck disable=SC2086 # one job id per word
    SLURM_CONF="$work/slurm.conf" timeout 10 scancel $old_jobs || true
    left() { [ -z "$(SLURM_CONF="$work/slurm.conf" timeout 10 squeue -h 2>/dev/null)" ]; }
    wait_for 30 "the previous run's jobs to end" left
  fi
fi
stop_pidfile "$work/slurmd.pid" slurmd
stop_pidfile "$work/slurmctld.pid" slurmctld
# munged is stopped at the end only if this script started it (here or in a previous run that was killed).
[ -f "$work/munged.ours" ] && started_munged=1
"${sudo[@]}" rm -rf "$work"
mkdir -p "$work/run"
[ "$started_munged" = 1 ] && touch "$work/munged.ours"
"${sudo[@]}" mkdir -p "$work/state" "$work/spool"
trap cleanup EXIT

if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "munged already running"
else
  log "starting munged"
  [ -f /etc/munge/munge.key ] || "${sudo[@]}" /usr/sbin/mungekey --create >/dev/null 2>&1 ||
    "${sudo[@]}" /usr/sbin/create-munge-key >/dev/null 2>&1 || fail "no /etc/munge/munge.key and none could be created"
  "${sudo[@]}" install -d -o munge -g munge -m 755 /run/munge
  "${sudo[@]}" su -s /bin/sh munge -c /usr/sbin/munged || fail "munged did not start"
  started_munged=1
  touch "$work/munged.ours"
  wait_for 10 "munged to answer" sh -c 'munge -n 2>/dev/null | unmunge >/dev/null 2>&1'
fi

# The first free pair of loopback ports from 6817 (Slurm's own), so a Slurm already on this machine is left alone.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctld_port=6817
until port_free "$ctld_port" && port_free $((ctld_port + 1)); do
  ctld_port=$((ctld_port + 10))
  [ "$ctld_port" -lt 7000 ] || fail "no free pair of ports between 6817 and 7000 on 127.0.0.1"
done

host=$(hostname -s)
cpus=$(nproc)
mem_mib=$(($(free -m | awk '/^Mem:/ {print $2}') - 1024))
[ "$mem_mib" -ge 512 ] || mem_mib=512
cat >"$work/slurm.conf" <<EOF
ClusterName=corridor-ci
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${ctld_port}
SlurmdPort=$((ctld_port + 1))
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=${work}/state
SlurmdSpoolDir=${work}/spool
SlurmctldPidFile=${work}/slurmctld.pid
SlurmdPidFile=${work}/slurmd.pid
SlurmctldLogFile=${work}/slurmctld.log
SlurmdLogFile=${work}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem_mib} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"

log "starting slurmctld and slurmd on 127.0.0.1:${ctld_port}/$((ctld_port + 1)) (${cpus} CPUs)"
"${sudo[@]}" env SLURM_CONF="$SLURM_CONF" slurmctld -D -c -f "$SLURM_CONF" >>"$work/slurmctld.out" 2>&1 &
"${sudo[@]}" env SLURM_CONF="$SLURM_CONF" slurmd -D -f "$SLURM_CONF" >>"$work/slurmd.out" 2>&1 &
wait_for 60 "the node to be idle in sinfo" sh -c '[ "$(timeout 5 sinfo -h -o %T 2>/dev/null)" = idle ]'
log "node ${host} idle ($(sinfo --version), $(munge --version 2>&1 | awk '{print $1}'))"

# --- the run ----------------------------------------------------------------------------------------------------
log "building corridor (release)"
cargo build --release --locked -q -p corridor-cli
export PATH="$target/release:$PATH"
corridor --version >/dev/null

cd "$work/run"
export CORRIDOR_SCENARIO="$scenario" CORRIDOR_SAMPLES="$samples" CORRIDOR_SEED="$seed" CORRIDOR_SHARD_DIR=shards
start=$SECONDS
job=$(timeout 30 sbatch --parsable --array=0-$((n_tasks - 1)) --requeue --cpus-per-task=1 --time=00:10:00 \
  "$root/scripts/slurm/risk-array.sbatch") || fail "sbatch refused the job array"
job=${job%%;*}
log "submitted array job ${job}: ${n_tasks} tasks, ${samples} samples of ${scenario}, seed ${seed}"

task_state() { timeout 10 squeue -h -j "$1" -o %T 2>/dev/null | head -n 1; }
victim_log="slurm-${job}_${victim}.out"
starts() { grep -c 'starts on' "$victim_log" 2>/dev/null || true; }
victim_solving() { [ "$(task_state "${job}_${victim}")" = RUNNING ] && [ "$(starts)" -ge 1 ]; }
wait_for 60 "task ${victim} to run" victim_solving
sleep 1
[ "$(task_state "${job}_${victim}")" = RUNNING ] && [ ! -e "shards/risk-${victim}.json" ] ||
  fail "task ${victim} finished within a second: raise CORRIDOR_SLURM_SAMPLES so it can be requeued part-way"
# listpids wants the task's own job id, not ARRAYJOB_TASK.
victim_id=$(timeout 10 scontrol show job "${job}_${victim}" | grep -o '^JobId=[0-9]*' | cut -d= -f2)
pids=$(timeout 10 scontrol listpids "$victim_id" 2>/dev/null | awk 'NR > 1 {print $1}' || true)
log "requeueing task ${victim} while it solves (pids ${pids//$'\n'/ })"
timeout 10 scontrol requeue "${job}_${victim}" || fail "scontrol requeue ${job}_${victim} failed"
# Without cgroups nothing guarantees the first run's processes are gone: wait for them, kill what is left by pid.
for pid in $pids; do
  for _ in $(seq 1 20); do
    [ -e "/proc/$pid" ] || break
    sleep 0.25
  done
  if [ -e "/proc/$pid" ]; then
    log "killing pid $pid left over from the first run of task ${victim}"
    "${sudo[@]}" kill -9 "$pid" 2>/dev/null || true
  fi
done
restarts() { timeout 10 scontrol show job "${job}_${victim}" 2>/dev/null | grep -o 'Restarts=[0-9]*' | cut -d= -f2; }
requeued() { [ "$(restarts)" -ge 1 ] 2>/dev/null; }
wait_for 30 "Slurm to requeue task ${victim}" requeued
# A requeued task waits ~2 minutes before it may start again (PENDING, reason BeginTime): release it now.
released=0
release() {
  local state
  state=$(timeout 10 squeue -h -j "${job}_${victim}" -o '%T %r' 2>/dev/null) || return 1
  case "$state" in
    PENDING*)
      timeout 10 scontrol update jobid="${job}_${victim}" StartTime=now >/dev/null 2>&1 && released=1
      [ "$released" = 1 ] && [ "$state" != "PENDING BeginTime" ]
      ;;
    RUNNING* | "") return 0 ;; # running again, or already done
    *) return 1 ;;             # still being requeued
  esac
}
wait_for 30 "task ${victim} to be released after its requeue" release

array_done() {
  local queued
  queued=$(timeout 10 squeue -h -j "$job" 2>/dev/null) && [ -z "$queued" ]
}
wait_for 150 "every task of ${job} to finish" array_done
array_secs=$((SECONDS - start))
for t in $(seq 0 $((n_tasks - 1))); do
  info=$(timeout 10 scontrol show job "${job}_${t}") || fail "scontrol show job ${job}_${t} failed"
  grep -q 'JobState=COMPLETED' <<<"$info" && grep -q 'ExitCode=0:0' <<<"$info" ||
    fail "task ${t} did not complete: $(grep -o 'JobState=[^ ]*\|ExitCode=[^ ]*\|Reason=[^ ]*' <<<"$info" | tr '\n' ' ')"
  [ -s "shards/risk-${t}.json" ] || fail "task ${t} wrote no shards/risk-${t}.json"
done
restarts=$(restarts)
[ "${restarts:-0}" -ge 1 ] || fail "task ${victim} shows Restarts=${restarts:-?}: Slurm did not run it again"
[ "$(starts)" -ge 2 ] || fail "the log of task ${victim} shows $(starts) start(s), not two"
log "array done in ${array_secs} s; task ${victim}: Restarts=${restarts}, $(starts) starts in its log"

corridor risk merge shards/risk-*.json --format json --out merged.json
corridor risk "$scenario" --samples "$samples" --seed "$seed" --no-progress --format json --out single.json
cmp merged.json single.json || fail "the merged shards differ from the single-process run (merged.json, single.json)"
passed=1
echo "Slurm test PASSED: ${n_tasks} shards of ${samples} samples (${scenario}, seed ${seed}) merged byte-identical" \
  "to one process ($(wc -c <single.json) bytes of JSON); task ${victim} requeued part-way, Restarts=${restarts}"
