#!/usr/bin/env bash
# Starts a one-node Slurm cluster on localhost for the Slurm tests (test/slurm/):
# Debian's slurm-wlm and munge, munged as user munge, then slurmctld and slurmd
# (as root; there is no systemd on the CI machines, so the daemons are started
# directly), with a slurm.conf this script writes. It waits until `sinfo` shows
# the node idle and checks that an array and afterok/afterany dependencies run.
#
# Idempotent and non-interactive: a cluster this script already started and that
# still answers is left as it is. The daemons' state, spool and logs go under
# $MSSI_SLURM_DIR (default /var/tmp/mssi-slurm), which this script creates.
#
# Exit 0 when the cluster runs jobs, 1 when it cannot be started (the Slurm tests
# then skip, saying so, unless CI=true, where .ci/run fails).
set -euo pipefail

DIR="${MSSI_SLURM_DIR:-/var/tmp/mssi-slurm}"
CONF=/etc/slurm/slurm.conf
MARK='# written by mssi .ci/start-slurm.sh'
NODE="$(hostname -s)"
CPUS="$(nproc)"

log() { printf 'start-slurm: %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (it installs packages and starts slurmctld/slurmd as root); the Slurm tests will skip"

# --- packages -----------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  command -v apt-get >/dev/null || fail "no apt-get: install slurm-wlm and munge by hand"
  export DEBIAN_FRONTEND=noninteractive
  log "installing slurm-wlm and munge"
  apt-get update -qq
  # policy-rc.d may refuse to start the services; they are started below.
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

# --- a configuration that is not ours is never overwritten --------------------
if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  # The Slurm tests submit jobs; they run only on the cluster this script starts.
  fail "$CONF exists and was not written by this script: a Slurm of this site's own; the tests do not submit to it (move it away to let this script start a test cluster)"
fi

mkdir -p "$DIR"/{state,spool,log,run}

# --- munge --------------------------------------------------------------------
munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  [ -s /etc/munge/munge.key ] || fail "no /etc/munge/munge.key (the munge package creates it; reinstall munge)"
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  log "starting munged as user munge"
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge_ok && break; sleep 0.1; done
  munge_ok || fail "munged started but a credential does not round-trip (munge -n | unmunge); see /var/log/munge/munged.log"
fi

# --- slurm.conf ---------------------------------------------------------------
# One node on 127.0.0.1 whose name is this host's short name, every CPU of it.
# SlurmUser=root: slurmctld and slurmd run as root (there are no cgroups to
# delegate, so processes are tracked through /proc and tasks are not bound).
# No accounting (no slurmdbd), hence no sacct; jobs' final states come from
# scontrol while the controller remembers them (MinJobAge). Small timeouts so
# that a cancelled or finished job is handled within seconds.
want_conf() {
  cat <<CONF
$MARK; it is regenerated on each run.
ClusterName=mssi-ci
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=sched_min_interval=100000
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
MinJobAge=600
KillWait=5
MailProg=/bin/true
# Small, so that the tests cut a run into several arrays as at a site whose
# MaxArraySize is below the number of shards (the default is 1001).
MaxArraySize=6
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
}

node_state() { sinfo --noheader --nodes="$NODE" --format=%T 2>/dev/null | head -n1; }
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

new_conf="$(want_conf)"
if [ -e "$CONF" ] && [ "$(cat "$CONF")" = "$new_conf" ] && running "$DIR/run/slurmctld.pid" && running "$DIR/run/slurmd.pid" \
  && [[ "$(node_state)" =~ ^(idle|mixed|allocated) ]]; then
  log "the test cluster already runs (node $NODE $(node_state))"; exit 0
fi

# A changed configuration or a half-started cluster: stop what this script started.
for d in slurmd slurmctld; do
  if running "$DIR/run/$d.pid"; then
    log "stopping $d (pid $(cat "$DIR/run/$d.pid"))"
    kill "$(cat "$DIR/run/$d.pid")" 2>/dev/null || true
    for _ in $(seq 50); do running "$DIR/run/$d.pid" || break; sleep 0.1; done
  fi
done
printf '%s\n' "$new_conf" >"$CONF"

# --- daemons ------------------------------------------------------------------
# -c: start with an empty queue. A saved state holds the jobs of an earlier
# session (a machine image taken while tests ran); restored, they hold the node
# 'allocated' and the tests' jobs would wait behind them.
log "starting slurmctld and slurmd with an empty queue (logs in $DIR/log)"
slurmctld -c || fail "slurmctld did not start; see $DIR/log/slurmctld.log: $(tail -n 5 "$DIR/log/slurmctld.log" 2>/dev/null)"
slurmd -c || fail "slurmd did not start; see $DIR/log/slurmd.log: $(tail -n 5 "$DIR/log/slurmd.log" 2>/dev/null)"

state=''
for _ in $(seq 120); do
  state="$(node_state || true)"
  [[ "$state" =~ ^idle ]] && break
  sleep 0.5
done
[[ "$state" =~ ^idle ]] || fail "node $NODE is '${state:-not listed}' after 60 s, not idle; see $DIR/log/slurmctld.log and slurmd.log"
log "node $NODE idle ($CPUS CPUs)"

# --- does it run what mssi submits? An array, then afterok and afterany on it. ---
check="$DIR/check"
rm -rf "$check" && mkdir -p "$check"
array="$(sbatch --parsable --array=0-1 --output="$check/a-%a.out" --wrap="echo task \$SLURM_ARRAY_TASK_ID")"
array="${array%%;*}"
ok="$(sbatch --parsable --dependency="afterok:$array" --output="$check/ok.out" --wrap='echo afterok')"
any="$(sbatch --parsable --dependency="afterany:${ok%%;*}" --output="$check/any.out" --wrap='echo afterany')"
for _ in $(seq 120); do
  [ -z "$(squeue --noheader --format=%i --jobs="$array,${ok%%;*},${any%%;*}" 2>/dev/null)" ] && break
  sleep 0.5
done
got="$(cat "$check/a-0.out" "$check/a-1.out" "$check/ok.out" "$check/any.out" 2>/dev/null | tr '\n' ' ')"
[ "$got" = 'task 0 task 1 afterok afterany ' ] \
  || fail "a test array with afterok/afterany dependencies did not run as expected (got: '${got}'); see $DIR/log/slurmctld.log"
log "an array and afterok/afterany dependencies run"
