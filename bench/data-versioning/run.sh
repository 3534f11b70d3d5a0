#!/usr/bin/env bash
# Data versioning benchmark: adding 1 GiB in 16 files to the object store against cp (in process, through
# bench/hashing --store), then through the built repro CLI: a run whose entry writes 1 GiB in 16 outputs against the
# same writes then cp -r of them, checkout of an unchanged workspace, push and pull to a directory remote against cp -r,
# and S3 throughput against s3rver when installed. Each figure is a median of
# REPETITIONS, all contenders from the page cache, and each ratio is taken against its reference in the same run.
#
# Usage: bench/data-versioning/run.sh [WORK_DIR] [REPETITIONS]
#   WORK_DIR (default: $TMPDIR/repro-bench-data) receives about 4 GiB; put it on the file system to measure
#   (on XFS, Btrfs or bcachefs the store adds files as copy-on-write clones).
#   REPRO_S3RVER: the s3rver executable (default ~/.cache/repro/s3rver/node_modules/.bin/s3rver, as .ci/run installs it).
#   REPRO_BENCH_REPRO: an installed `repro` (bench/install-tool.sh: the ReadyToRun tool users get) to time instead of
#   the Release build run through `dotnet` (which adds JIT start-up to every command).
#   REPRO_BENCH_BASELINE: other `repro` executables (earlier builds, for a before/after), separated by ':', whose run
#   rows are timed in the same repetitions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/repro-bench-data}"
reps="${2:-5}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 LC_ALL=C
dotnet build "$root/src/Repro.Cli" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/bench/hashing/Repro.Bench.Hashing.csproj" -c Release -v quiet -nologo >/dev/null
dll="$root/src/Repro.Cli/bin/Release/net10.0/repro.dll"
if [ -n "${REPRO_BENCH_REPRO:-}" ]; then
  repro_exe=("$REPRO_BENCH_REPRO")
else
  repro_exe=(dotnet "$dll")
fi
repro() { "${repro_exe[@]}" "$@"; }
now() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.4f}")' "$1" "$2"; }
median() { python3 -c 'import sys, statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$1" "$2"; }
rate() { python3 -c 'import sys; print(f"{1024 / float(sys.argv[1]):.0f}")' "$1"; }
timed() {
  local start; start=$(now)
  "$@" >/dev/null 2>"$work/last.err" || { echo "failed: $*" >&2; cat "$work/last.err" >&2; kill -TERM $$; exit 1; }
  elapsed "$start" "$(now)"
}

project="$work/project"
rm -rf "$work" && mkdir -p "$project/data"
cd "$project"
git init -q -b main . && git config user.email bench@example.invalid && git config user.name bench
cat > MLproject <<'YAML'
name: data-bench
entry_points:
  keep:
    command: "true"
    outputs: [data/]
  write:
    command: "mkdir -p gen && cd data && for f in part-*.bin; do cat $f > ../gen/$f; done"
    outputs: [gen/]
YAML
printf 'data/\ngen/\n' > .gitignore
git add -A && git commit -qm bench
for i in $(seq -w 1 16); do head -c $((64 << 20)) /dev/urandom > "data/part-$i.bin"; done
sleep 2.5  # older than the hash cache's racy margin: hashed once, then answered by the cache

fs=$(df -T "$work" | awk 'NR==2 {print $2}')
cloning=no
head -c 4096 /dev/urandom > "$work/probe" && cp --reflink=always "$work/probe" "$work/probe2" 2>/dev/null && cloning=yes
rm -f "$work/probe" "$work/probe2"

echo "# Data versioning benchmark: $(nproc) cores, $fs at $work (reflinks: $cloning), $reps repetitions, medians"
echo
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

dotnet "$root/bench/hashing/bin/Release/net10.0/Repro.Bench.Hashing.dll" --store "$work/store-bench" "$reps"
rm -rf "$work/store-bench"
echo

# A run whose entry writes 1 GiB in 16 outputs (copies of the data, from the page cache), into a store without them and
# into one that already holds them, against the same writes then cp -r of the outputs and `sync FILE...` of the copies.
write='mkdir -p gen && cd data && for f in part-*.bin; do cat $f > ../gen/$f; done'
baselines=()
if [ -n "${REPRO_BENCH_BASELINE:-}" ]; then IFS=: read -r -a baselines <<< "$REPRO_BENCH_BASELINE"; fi
declare -A base_new=() base_stored=()
fresh_start() { rm -rf gen "$work/cpgen"; if [ "$1" = empty ]; then rm -rf .repro/objects; fi; sync; }
repro run . -e write >/dev/null 2>&1  # the store, the hash cache and the page cache warm
written=(); reference=(); reference_never=(); run_new=(); run_stored=(); run_off=()
for _ in $(seq "$reps"); do
  fresh_start empty; written+=("$(timed sh -c "$write")")
  fresh_start empty; reference+=("$(timed sh -c "($write) && cp -r gen '$work/cpgen' && find '$work/cpgen' -type f -exec sync {} +")")
  fresh_start empty; reference_never+=("$(timed sh -c "($write) && cp -r --reflink=never gen '$work/cpgen' && find '$work/cpgen' -type f -exec sync {} +")")
  fresh_start empty; run_new+=("$(timed repro run . -e write)")
  fresh_start stored; run_stored+=("$(timed repro run . -e write)")
  fresh_start empty; run_off+=("$(timed repro run . -e write --object-size-limit 0)")
  for b in "${!baselines[@]}"; do
    fresh_start empty; base_new[$b]+=" $(timed "${baselines[$b]}" run . -e write)"
    fresh_start stored; base_stored[$b]+=" $(timed "${baselines[$b]}" run . -e write)"
  done
done
rm -rf gen "$work/cpgen" .repro/objects
m_written=$(median "${written[@]}"); m_ref=$(median "${reference[@]}")
m_new=$(median "${run_new[@]}"); m_stored=$(median "${run_stored[@]}"); m_off=$(median "${run_off[@]}")
m_ref_never=$(median "${reference_never[@]}")
# What keeping the outputs costs a run, paired within each repetition: the run with the store against the same run
# with nothing kept (its outputs are hashed for the manifest either way), and cp's share of the reference against the
# writes alone.
paired() { python3 -c 'import sys, statistics; n = len(sys.argv) // 2; a, b = sys.argv[1:n + 1], sys.argv[n + 1:]; print(f"{statistics.median(float(x) - float(y) for x, y in zip(a, b)):.3f}")' "$@"; }
store_cost=$(paired "${run_new[@]}" "${run_off[@]}")
cp_cost=$(paired "${reference[@]}" "${written[@]}")
cp_never_cost=$(paired "${reference_never[@]}" "${written[@]}")
echo "| What (1 GiB in 16 outputs, through the CLI) | Median (s) | Ratio to writing + cp -r + sync FILES |"
echo "|---|---:|---:|"
echo "| the entry's writes alone (sh) | $m_written | $(ratio "$m_written" "$m_ref") |"
echo "| the writes, then cp -r of the outputs && sync FILES (reference) | $m_ref | 1.00 |"
echo "| repro run, outputs new to the store | $m_new | $(ratio "$m_new" "$m_ref") |"
echo "| repro run, outputs already stored | $m_stored | $(ratio "$m_stored" "$m_ref") |"
echo "| repro run, nothing kept (--object-size-limit 0; outputs hashed only) | $m_off | $(ratio "$m_off" "$m_ref") |"
echo "| the writes, then cp -r --reflink=never && sync FILES | $m_ref_never | $(ratio "$m_ref_never" "$m_ref") |"
for b in "${!baselines[@]}"; do
  # shellcheck disable=SC2086 # the times are a space-separated list
  m_bnew=$(median ${base_new[$b]}); m_bstored=$(median ${base_stored[$b]})
  echo "| baseline ${baselines[$b]} repro run, outputs new to the store | $m_bnew | $(ratio "$m_bnew" "$m_ref") |"
  echo "| baseline ${baselines[$b]} repro run, outputs already stored | $m_bstored | $(ratio "$m_bstored" "$m_ref") |"
done
echo
echo "| What keeping 1 GiB of new outputs adds (median of paired differences) | Seconds | Ratio to cp -r && sync FILES | Ratio to cp -r --reflink=never && sync FILES |"
echo "|---|---:|---:|---:|"
echo "| repro run with the store, minus the same run keeping nothing | $store_cost | $(ratio "$store_cost" "$cp_cost") | $(ratio "$store_cost" "$cp_never_cost") |"
echo "| cp -r && sync FILES, minus the writes alone | $cp_cost | 1.00 | $(ratio "$cp_cost" "$cp_never_cost") |"
echo "| cp -r --reflink=never && sync FILES, minus the writes alone | $cp_never_cost | $(ratio "$cp_never_cost" "$cp_cost") | 1.00 |"
echo

repro run . -e keep >/dev/null 2>&1
run_id=$(ls .repro/runs | sort | tail -1)

# Checkout of an unchanged workspace: which data files does it open?
checkout=()
for _ in $(seq "$reps"); do checkout+=("$(timed repro checkout "$run_id" --outputs)"); done
opened=unknown
if command -v strace >/dev/null 2>&1; then
  strace -f -e trace=openat,open -o "$work/checkout.trace" "${repro_exe[@]}" checkout "$run_id" --outputs >/dev/null 2>&1
  opened=$(grep -c 'data/part-' "$work/checkout.trace" || true)
fi

# Push and pull with a directory remote, against cp -r of the same objects, then `sync FILE...` of the copies (one
# fsync per file, as repro flushes every object before renaming it; a plain `sync` would also wait for the writes of
# every other process on the machine).
repro remote add bench "$work/remote" --local >/dev/null 2>&1
mkdir -p "$work/fresh" && cp MLproject "$work/fresh/"
push=(); pull=(); cpr=()
for _ in $(seq "$reps"); do
  rm -rf "$work/remote" && mkdir "$work/remote"; sync
  push+=("$(timed repro push "$run_id" -r bench)")
  rm -rf "$work/fresh/.repro"; mkdir -p "$work/fresh/.repro"; cp .repro/remotes.yaml "$work/fresh/.repro/"; sync
  pull+=("$(cd "$work/fresh" && timed "${repro_exe[@]}" pull "$run_id" -r bench)")
  rm -rf "$work/cpr"; sync
  cpr+=("$(timed sh -c "cp -r .repro/objects '$work/cpr' && find '$work/cpr' -type f -exec sync {} +")")
done
rm -rf "$work/cpr"

m_co=$(median "${checkout[@]}")
m_push=$(median "${push[@]}"); m_pull=$(median "${pull[@]}"); m_cpr=$(median "${cpr[@]}")
echo "| What (1 GiB in 16 files, through the CLI) | Median (s) | Against | Ratio |"
echo "|---|---:|---|---:|"
echo "| checkout of the unchanged workspace (process start included) | $m_co | data files opened: $opened | |"
echo "| push to a directory remote | $m_push | cp -r objects && sync FILES | throughput $(ratio "$m_cpr" "$m_push")x ($(rate "$m_push") vs $(rate "$m_cpr") MiB/s) |"
echo "| pull from a directory remote | $m_pull | cp -r objects && sync FILES | throughput $(ratio "$m_cpr" "$m_pull")x ($(rate "$m_pull") vs $(rate "$m_cpr") MiB/s) |"

s3rver="${REPRO_S3RVER:-$HOME/.cache/repro/s3rver/node_modules/.bin/s3rver}"
if [ -x "$s3rver" ]; then
  mkdir -p "$work/s3"
  NODE_OPTIONS=--openssl-legacy-provider "$s3rver" -d "$work/s3" -a 127.0.0.1 -p 0 --configure-bucket bench --silent > "$work/s3rver.log" 2>&1 &
  s3pid=$!
  trap 'kill "$s3pid" 2>/dev/null || true' EXIT
  for _ in $(seq 60); do grep -q 'listening on' "$work/s3rver.log" && break; sleep 0.5; done
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/s3rver.log" | cut -d: -f2)
  export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
  repro remote add s3 "s3://bench/repro" --endpoint "http://127.0.0.1:$port" --local >/dev/null 2>&1
  s3push=(); s3pull=()
  for i in $(seq "$reps"); do
    repro remote remove s3 --local >/dev/null 2>&1
    repro remote add s3 "s3://bench/repro-$i" --endpoint "http://127.0.0.1:$port" --local >/dev/null 2>&1
    s3push+=("$(timed repro push "$run_id" -r s3)")
    rm -rf "$work/fresh/.repro"; mkdir -p "$work/fresh/.repro"; cp .repro/remotes.yaml "$work/fresh/.repro/"; sync
    s3pull+=("$(cd "$work/fresh" && timed "${repro_exe[@]}" pull "$run_id" -r s3)")
  done
  m_s3push=$(median "${s3push[@]}"); m_s3pull=$(median "${s3pull[@]}")
  echo "| push to S3 (s3rver on the same machine) | $m_s3push | | $(rate "$m_s3push") MiB/s |"
  echo "| pull from S3 (s3rver on the same machine) | $m_s3pull | | $(rate "$m_s3pull") MiB/s |"
fi
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
