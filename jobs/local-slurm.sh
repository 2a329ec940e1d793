#!/usr/bin/env bash
# A one-node SLURM cluster on this machine (Debian's slurm-wlm + munge), for trying jobs/tune.sbatch and for the
# SLURM integration test. Needs root. See /work/shared/PLATFORM.md "SLURM (seen here)" for where the settings come from.
#
#   jobs/local-slurm.sh up       install (if missing), configure and start munged, slurmctld, slurmd; wait for the node
#   jobs/local-slurm.sh down     cancel every job, stop the three daemons and remove their state
#   jobs/local-slurm.sh status   what runs, and sinfo/squeue
#
# Environment: LOCAL_SLURM_WAIT (seconds `up` waits for the node to become idle, default 60);
#              LOCAL_SLURM_LOOPBACK=1 (reach the daemons at 127.0.0.1 even when the host name resolves).
set -euo pipefail

readonly CONF_DIR=/etc/slurm
readonly CONF=$CONF_DIR/slurm.conf
readonly MUNGE_KEY=/etc/munge/munge.key
readonly MUNGE_RUN=/run/munge
readonly MUNGE_PID=$MUNGE_RUN/munged.pid
readonly CTLD_PID=/run/slurmctld.pid
readonly SLURMD_PID=/run/slurmd.pid
readonly STATE_DIR=/var/spool/slurmctld
readonly SPOOL_DIR=/var/spool/slurmd
readonly LOG_DIR=/var/log/slurm
readonly WAIT_S=${LOCAL_SLURM_WAIT:-60}
CONFIG_CHANGED=0

say() { echo "local-slurm: $*"; }
die() { echo "local-slurm: error: $*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and starts system daemons); try: sudo $0 $*"
}

# The pid in $1 when that process is alive, else nothing.
live_pid() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

install_packages() {
  local missing=()
  command -v slurmctld > /dev/null && command -v slurmd > /dev/null && command -v sinfo > /dev/null || missing+=(slurm-wlm)
  command -v munged > /dev/null || missing+=(munge)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed (is a Debian mirror reachable?)"
  # The packages' postinst scripts try to start the services through systemd/invoke-rc.d; where there is no init
  # system that fails harmlessly, and this script starts the daemons itself below.
  apt-get install -y -qq slurm-wlm munge > /tmp/local-slurm-apt.log 2>&1 || { cat /tmp/local-slurm-apt.log >&2; die "apt-get install ${missing[*]} failed"; }
  for tool in slurmctld slurmd sinfo munged; do
    command -v "$tool" > /dev/null || die "$tool is still missing after installing ${missing[*]}"
  done
}

start_munge() {
  getent passwd munge > /dev/null || die "user munge does not exist (the munge package creates it; reinstall munge)"
  if [ ! -s "$MUNGE_KEY" ]; then
    say "creating $MUNGE_KEY"
    install -d -o munge -g munge -m 0700 /etc/munge
    (umask 077 && dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none)
  fi
  chown munge:munge "$MUNGE_KEY"
  chmod 400 "$MUNGE_KEY"
  # systemd's tmpfiles would make these; without systemd nobody does.
  install -d -o munge -g munge -m 0755 "$MUNGE_RUN"
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  if live_pid "$MUNGE_PID" > /dev/null; then
    say "munged already runs"
  else
    say "starting munged"
    runuser -u munge -- /usr/sbin/munged --pid-file="$MUNGE_PID" || die "munged did not start; see /var/log/munge/munged.log"
  fi
  munge -n | unmunge > /dev/null || die "munge cannot encode/decode a credential; see /var/log/munge/munged.log"
}

write_config() {
  local host cpus mem_mib real_mem tmp
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mib=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
  # A node that reports less memory than RealMemory is drained as "Low RealMemory": stay 10% under.
  real_mem=$((mem_mib * 9 / 10))
  # Both daemons look the host name up; a container whose name does not resolve still works over the loopback.
  local ctld_host=$host node_addr=
  if [ "${LOCAL_SLURM_LOOPBACK:-0}" = 1 ] || ! getent hosts "$host" > /dev/null; then
    ctld_host="$host(127.0.0.1)"
    node_addr=" NodeAddr=127.0.0.1"
  fi
  install -d -m 0755 "$CONF_DIR" "$LOG_DIR"
  install -d -m 0755 "$STATE_DIR" "$SPOOL_DIR"
  tmp=$(mktemp)
  cat > "$tmp" <<EOF
# Written by jobs/local-slurm.sh: a one-node cluster for trying HpcTune's SLURM jobs. Rewritten by every 'up'.
ClusterName=local
SlurmctldHost=$ctld_host
AuthType=auth/munge
CryptoType=crypto/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$STATE_DIR
SlurmdSpoolDir=$SPOOL_DIR
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
NodeName=$host$node_addr CPUs=$cpus RealMemory=$real_mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:64
EOF
  if cmp -s "$tmp" "$CONF"; then
    rm -f "$tmp"
    CONFIG_CHANGED=0
    return
  fi
  mv "$tmp" "$CONF"
  chmod 644 "$CONF"
  CONFIG_CHANGED=1
  say "wrote $CONF (node $host, $cpus CPUs, RealMemory=$real_mem MiB)"
}

stop_pid_file() { # $1 pid file, $2 name
  local pid i
  pid=$(live_pid "$1") || { rm -f "$1"; return 0; }
  say "stopping $2 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$2 (pid $pid) ignored SIGTERM for 10 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

node_state() { sinfo -h -n "$(hostname -s)" -o %T 2>/dev/null | head -n 1; }

wait_for_node() {
  local deadline state
  deadline=$((SECONDS + WAIT_S))
  while :; do
    state=$(node_state || true)
    case "$state" in
      idle | mixed | allocated | completing) say "node $(hostname -s) is $state"; return 0 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "local-slurm: error: node $(hostname -s) is '${state:-unknown}' after ${WAIT_S} s, not idle" >&2
      sinfo -R >&2 || true
      echo "--- last lines of $LOG_DIR/slurmctld.log" >&2; tail -n 20 "$LOG_DIR/slurmctld.log" >&2 || true
      echo "--- last lines of $LOG_DIR/slurmd.log" >&2; tail -n 20 "$LOG_DIR/slurmd.log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
}

up() {
  require_root up
  install_packages
  start_munge
  write_config
  if [ "$CONFIG_CHANGED" -eq 1 ]; then
    # Daemons still running with an older configuration are restarted; a first start has none.
    stop_pid_file "$SLURMD_PID" slurmd
    stop_pid_file "$CTLD_PID" slurmctld
  fi
  if live_pid "$CTLD_PID" > /dev/null; then
    say "slurmctld already runs"
  else
    say "starting slurmctld"
    slurmctld || die "slurmctld did not start; see $LOG_DIR/slurmctld.log"
  fi
  local deadline=$((SECONDS + WAIT_S))
  until scontrol ping 2>/dev/null | grep -q 'is UP'; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$LOG_DIR/slurmctld.log" >&2 || true; die "slurmctld does not answer 'scontrol ping' after ${WAIT_S} s"; }
    sleep 0.2
  done
  if live_pid "$SLURMD_PID" > /dev/null; then
    say "slurmd already runs"
  else
    say "starting slurmd"
    slurmd || die "slurmd did not start; see $LOG_DIR/slurmd.log"
  fi
  wait_for_node
}

down() {
  require_root down
  if live_pid "$CTLD_PID" > /dev/null && command -v squeue > /dev/null; then
    local jobs
    jobs=$(squeue -h -o %i 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      say "cancelling jobs: $(echo $jobs)"
      # shellcheck disable=SC2086 # one argument per job id
      scancel $jobs 2>/dev/null || true
      local deadline=$((SECONDS + 40))
      while [ -n "$(squeue -h -o %i 2>/dev/null || true)" ] && [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.5
      done
    fi
  fi
  stop_pid_file "$SLURMD_PID" slurmd
  stop_pid_file "$CTLD_PID" slurmctld
  stop_pid_file "$MUNGE_PID" munged
  # Job and node state would otherwise come back on the next start (old job ids, a remembered node state).
  rm -rf "${STATE_DIR:?}"/* "${SPOOL_DIR:?}"/*
  say "stopped; state in $STATE_DIR and $SPOOL_DIR removed"
}

status() {
  local name file pid
  for name in munged:$MUNGE_PID slurmctld:$CTLD_PID slurmd:$SLURMD_PID; do
    file=${name#*:}
    if pid=$(live_pid "$file"); then echo "${name%%:*}: running (pid $pid)"; else echo "${name%%:*}: not running"; fi
  done
  if command -v sinfo > /dev/null && live_pid "$CTLD_PID" > /dev/null; then
    sinfo
    squeue
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
