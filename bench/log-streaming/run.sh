#!/usr/bin/env bash
# Log streaming throughput: an entry point that writes SIZE bytes to stdout, through `repro run` (stdout saved to
# stdout.log, hashed and echoed to repro's stdout, here /dev/null), against the reference `cmd | tee FILE >/dev/null`
# in the same run. repro's figure is the manifest's execution.durationSeconds (child start to the end of its output),
# so process start, capture and recording are left out; the whole `repro run` wall time is printed too.
#
#   bench/log-streaming/run.sh [SIZE_MIB] [ROUNDS]      (defaults: 1024 MiB, 3 rounds)
set -euo pipefail
size_mib=${1:-1024}
rounds=${2:-3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/repro-bench-logs-XXXXXX")
trap 'rm -rf "$work"' EXIT

dotnet build "$root/src/Repro.Cli" -c Release -o "$work/bin" >/dev/null
repro=("dotnet" "$work/bin/repro.dll")

project="$work/project"
mkdir -p "$project"
bytes=$((size_mib * 1024 * 1024))
cat >"$project/MLproject" <<YAML
entry_points:
  main:
    command: "head -c $bytes /dev/zero"
YAML
git -C "$project" init --quiet --initial-branch=main
git -C "$project" -c user.name=b -c user.email=b@b.invalid add MLproject
git -C "$project" -c user.name=b -c user.email=b@b.invalid -c commit.gpgsign=false commit --quiet -m bench

seconds() { python3 -c 'import sys,time; print(f"{time.time():.3f}")'; }
echo "size: ${size_mib} MiB, rounds: $rounds"
printf '%-6s %12s %12s %12s %8s\n' round tee_s repro_exec_s repro_wall_s ratio
for round in $(seq 1 "$rounds"); do
  start=$(seconds)
  head -c "$bytes" /dev/zero | tee "$work/tee.out" >/dev/null
  end=$(seconds)
  tee_s=$(python3 -c "print(f'{$end-$start:.3f}')")
  rm -f "$work/tee.out"

  start=$(seconds)
  # Without --json the child's stdout is echoed to repro's stdout (/dev/null here), as tee's copy goes to /dev/null.
  "${repro[@]}" run "$project" --store "$work/store" >/dev/null 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
  end=$(seconds)
  wall_s=$(python3 -c "print(f'{$end-$start:.3f}')")
  manifest=$(ls -d "$work"/store/runs/*/ | tail -1)run.json
  exec_s=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['execution']['durationSeconds'])" "$manifest")
  ratio=$(python3 -c "print(f'{$tee_s/$exec_s:.2f}')")
  printf '%-6s %12s %12s %12s %8s\n' "$round" "$tee_s" "$exec_s" "$wall_s" "$ratio"
  rm -rf "$work/store"
done
echo "ratio = tee time / repro streaming time: the throughput of repro relative to tee (the target is >= 0.5)"
