#!/usr/bin/env bash
# Start-up benchmark: how long repro's quick commands take as whole processes, as ratios to a .NET hello world
# measured in the same rounds. Prints a markdown table.
#
# Usage: bench/startup/run.sh [ROUNDS]            (default 15; at least 10)
# Environment:
#   REPRO_BENCH_WORK=DIR   keep the work folder (hello world, tool install, project, stores) there; default: a temp
#                          folder, removed at the end
#   REPRO_BENCH_BUILD=0    skip the Release build output (bin/, JIT only) and measure the installed tool alone
#   REPRO_BENCH_TOOL=PATH  measure this installed `repro` (from bench/install-tool.sh) instead of packing and
#                          installing one (packing the linux-x64 package's composite image takes minutes)
#   REPRO_BENCH_BASELINE=PATH  also measure this other installed `repro` (main's, say) in the same rounds
#
# What is measured, interleaved in every round so that a busy machine slows every case alike:
#   hello world            `dotnet new console`'s program, Release build, run through its apphost
#   repro --version
#   repro run (no-op)      entry point command `true` in a small committed repository, into its own store
#   repro list             a store of 100 runs, index warm
#   repro show latest      the same store
# for the installed tool (`dotnet pack`, then `dotnet tool install --tool-path`: the linux-x64 ReadyToRun package on
# this machine) and for the Release build output (src/Repro.Cli/bin/Release, compiled as it runs).
# Targets (issue #15): no-op run <= 5x, list and show <= 3x, --version <= 2x the hello world.
set -euo pipefail

rounds="${1:-15}"
if [ "$rounds" -lt 10 ]; then
  echo "run.sh: at least 10 rounds, not $rounds" >&2
  exit 2
fi

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -n "${REPRO_BENCH_WORK:-}" ]; then
  work="$REPRO_BENCH_WORK"
  rm -rf "$work"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/repro-startup.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
unset REPRO_STORE

log() { echo "startup: $*" >&2; }

# --- The reference: a hello world, as `dotnet new console` makes it (written out, so no template is needed). ---
log "building the hello world"
mkdir -p "$work/hello"
cat > "$work/hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
</Project>
XML
echo 'Console.WriteLine("Hello, World!");' > "$work/hello/Program.cs"
# Outside the repository, so that none of repro's build settings apply to it.
dotnet build "$work/hello/hello.csproj" -c Release -o "$work/hello/bin" -nologo -v:quiet >/dev/null
hello="$work/hello/bin/hello"

# --- repro: the installed tool, and the Release build output. ---
if [ -n "${REPRO_BENCH_TOOL:-}" ]; then
  tool="$REPRO_BENCH_TOOL"
else
  log "packing and installing the tool"
  tool="$("$repository/bench/install-tool.sh" "$work")"
fi
version="$("$tool" --version)"
variants=("installed tool|$tool")
if [ -n "${REPRO_BENCH_BASELINE:-}" ]; then
  # Another installed tool (main's, say), timed in the same rounds: an A/B that the machine's load cannot skew.
  variants+=("baseline tool|$REPRO_BENCH_BASELINE")
fi
if [ "${REPRO_BENCH_BUILD:-1}" != 0 ]; then
  log "building the Release build output"
  dotnet build "$repository/src/Repro.Cli" -c Release -nologo -v:quiet >/dev/null
  variants+=("build output (JIT)|$repository/src/Repro.Cli/bin/Release/net10.0/repro")
fi

# --- A small committed project whose entry point does nothing, and a store of 100 runs. ---
project="$work/project"
mkdir -p "$project"
git -C "$project" init -q -b main
printf 'name: noop\nentry_points:\n  main:\n    command: "true"\n' > "$project/MLproject"
printf '# A project whose entry point does nothing.\n' > "$project/README.md"
git -C "$project" add -A
git -C "$project" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false commit -q -m project
log "recording 100 runs into the list store"
for _ in $(seq 100); do
  (cd "$project" && "$tool" run . --store "$work/list-store" >/dev/null 2>&1)
done

# name|command line (run in the project folder; stdout and stderr discarded)
cases=()
for variant in "${variants[@]}"; do
  label="${variant%%|*}"
  exe="${variant#*|}"
  cases+=(
    "$label: repro --version|$exe --version"
    "$label: repro run (no-op)|$exe run . --store $work/noop-store-${#cases[@]}"
    "$label: repro list (100 runs)|$exe list --store $work/list-store"
    "$label: repro show latest|$exe show latest --store $work/list-store"
  )
done
all=("hello world|$hello" "${cases[@]}")

declare -A samples
timed() { # index command-line
  local start end
  start=$EPOCHREALTIME
  if ! (cd "$project" && eval "$2") >/dev/null 2>"$work/stderr"; then
    echo "startup: failed: $2" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  end=$EPOCHREALTIME
  samples[$1]+="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", (e - s) * 1000 }') "
}

log "warming up (page cache, first-run work)"
for i in "${!all[@]}"; do
  (cd "$project" && eval "${all[$i]#*|}") >/dev/null 2>&1
done

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "measuring: $rounds rounds of ${#all[@]} commands, interleaved"
for _ in $(seq "$rounds"); do
  for i in "${!all[@]}"; do
    timed "$i" "${all[$i]#*|}"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# median min max of a list of numbers
stats() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f %.1f %.1f", m, a[1], a[NR] }'; }
target_of() {
  case "$1" in
    *--version*) echo 2 ;;
    *"run (no-op)"*) echo 5 ;;
    *list*|*show*) echo 3 ;;
    *) echo "" ;;
  esac
}

read -r hello_median _ _ <<< "$(echo "${samples[0]}" | stats)"
echo
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), .NET $(dotnet --list-runtimes | awk '/NETCore.App/ { v = $2 } END { print v }'), repro $version"
echo "load average before: $load_before; after: $load_after; $rounds interleaved rounds"
echo
echo "| command | median (ms) | min | max | x hello world (ratio of medians) | median of per-round ratios | target |"
echo "|---|---:|---:|---:|---:|---:|---|"
for i in "${!all[@]}"; do
  name="${all[$i]%%|*}"
  read -r median low high <<< "$(echo "${samples[$i]}" | stats)"
  if [ "$i" = 0 ]; then
    echo "| $name | $median | $low | $high | 1.00 | 1.00 | |"
    continue
  fi
  ratio="$(awk -v a="$median" -v b="$hello_median" 'BEGIN { printf "%.2f", a / b }')"
  # Per-round ratio: each sample against the hello world of the same round.
  per_round="$(paste -d' ' <(echo "${samples[$i]}" | tr ' ' '\n' | grep .) <(echo "${samples[0]}" | tr ' ' '\n' | grep .) \
    | awk '{ printf "%.4f ", $1 / $2 }' | stats | cut -d' ' -f1)"
  target="$(target_of "$name")"
  verdict=""
  if [ -n "$target" ]; then
    verdict="<= ${target}x: $(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r <= t) ? "met" : "not met" }')"
  fi
  echo "| $name | $median | $low | $high | $ratio | $(printf '%.2f' "$per_round") | $verdict |"
done
