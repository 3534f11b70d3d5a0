#!/usr/bin/env bash
# Copied from the team's shared one-node Slurm setup (shared/slurm/stop-slurm.sh, written for repro's CI); credit to its authors.
# Stop what start-slurm.sh started, by the PIDs in its pidfiles (never by name).
set -uo pipefail
BASE=${SLURM_BASE:-/tmp/slurm}
log() { echo "[stop-slurm] $*" >&2; }

# cancel remaining jobs so no slurmstepd/job processes outlive slurmd
if command -v squeue >/dev/null && ids=$(squeue -h -o %i 2>/dev/null) && [ -n "$ids" ]; then
  scancel $ids 2>/dev/null || true
  for _ in $(seq 50); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.2; done
fi

stop() { # pidfile expected-comm
  local f=$1 name=$2 p
  p=$(cat "$f" 2>/dev/null) || { log "$name: no pidfile"; return 0; }
  if [[ ! $(cat /proc/"$p"/stat 2>/dev/null) == "$p ($name) "[RSDI]* ]]; then   # gone, zombie or reused
    log "$name: not running (stale pid '$p')"; rm -f "$f"; return 0
  fi
  kill -TERM "$p"
  gone() { [[ ! $(cat /proc/"$p"/stat 2>/dev/null) == "$p ($name) "[RSDI]* ]]; }
  for _ in $(seq 100); do gone && break; sleep 0.1; done
  if ! gone; then log "$name ($p) ignored TERM, sending KILL"; kill -KILL "$p"; fi
  rm -f "$f"; log "$name ($p) stopped"
}
stop "$BASE/run/slurmd.pid" slurmd
stop "$BASE/run/slurmctld.pid" slurmctld
stop /run/munge/munged.pid munged
