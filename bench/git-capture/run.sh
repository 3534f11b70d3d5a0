#!/usr/bin/env bash
# Git capture benchmark: repro's capture against `git status --porcelain` on a repository of 100,000 tracked files
# with one modified file. Usage: bench/git-capture/run.sh [BenchmarkDotNet arguments]
# Environment: REPRO_BENCH_GIT_REPO (default /tmp/repro-bench-git-100k), REPRO_BENCH_GIT_FILES (default 100000),
# REPRO_BENCH_ROUNDS (interleaved rounds, default 30), REPRO_BENCH_REALTIME=1 (as root on a machine shared with other
# work: run the .NET measurements under `chrt -f 10`, so that they see the cores as an otherwise idle machine would;
# the kernel still keeps 5% of CPU time for everything else).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export REPRO_BENCH_GIT_REPO="${REPRO_BENCH_GIT_REPO:-/tmp/repro-bench-git-100k}"
"$here/make-repo.sh" "$REPRO_BENCH_GIT_REPO" "${REPRO_BENCH_GIT_FILES:-100000}"

cd "$REPRO_BENCH_GIT_REPO"
status='git status --porcelain'
# What repro runs: one status pass (changed, untracked and ignored paths at once), the diff limited to the changed
# paths, and the index listing the lock-file search takes instead of walking the tree.
pass='git status --porcelain=v2 -z --untracked-files=all --ignored=matching --no-renames --ignore-submodules=none'
diff="git --literal-pathspecs -c diff.autoRefreshIndex=false diff HEAD --binary --no-renames --no-ext-diff --no-textconv --no-color --submodule=short --ignore-submodules=none -- $(git status --porcelain=v2 -z --no-renames | tr '\0' '\n' | awk '$1 == "1" { print $9 }' | head -1)"
listing='git ls-files -z --stage'
# CPU time (user + system) of git status against the commands repro runs: on a machine whose cores are all busy,
# wall time follows CPU time.
if [ -x /usr/bin/time ]; then
  for command in "$status" "$pass" "$diff" "$listing"; do
    /usr/bin/time -f '%U %S' -o /tmp/repro-bench-cpu.$$ bash -c "for i in \$(seq 20); do $command >/dev/null; done"
    awk -v c="$command" '{ printf "cpu %6.1f ms/run (user %5.1f, system %5.1f): %s\n", ($1 + $2) * 50, $1 * 50, $2 * 50, c }' /tmp/repro-bench-cpu.$$
  done
  rm -f /tmp/repro-bench-cpu.$$
fi
# Process-level wall times, when hyperfine happens to be installed (nothing requires it).
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs 20 "$status" "$pass" "$diff" "$listing"
fi
cd - >/dev/null

project="$here/../Repro.Benchmarks"
dotnet build -c Release "$project" >/dev/null
priority=()
if [ "${REPRO_BENCH_REALTIME:-0}" = 1 ] && command -v chrt >/dev/null 2>&1; then
  priority=(chrt -f 10)
fi
# Round by round (robust on a shared machine), then BenchmarkDotNet's own statistics.
"${priority[@]}" dotnet run -c Release --no-build --project "$project" -- --interleaved-git-capture "${REPRO_BENCH_ROUNDS:-30}"
"${priority[@]}" dotnet run -c Release --no-build --project "$project" -- --filter '*GitCaptureBenchmarks*' "$@"
