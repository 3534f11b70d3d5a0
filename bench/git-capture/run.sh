#!/usr/bin/env bash
# Git capture benchmark: repro's capture against `git status --porcelain` on a repository of 100,000 tracked files
# with one modified file. Usage: bench/git-capture/run.sh [BenchmarkDotNet arguments]
# Environment: REPRO_BENCH_GIT_REPO (default /tmp/repro-bench-git-100k), REPRO_BENCH_GIT_FILES (default 100000),
# REPRO_BENCH_ROUNDS (interleaved rounds, default 30).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export REPRO_BENCH_GIT_REPO="${REPRO_BENCH_GIT_REPO:-/tmp/repro-bench-git-100k}"
"$here/make-repo.sh" "$REPRO_BENCH_GIT_REPO" "${REPRO_BENCH_GIT_FILES:-100000}"

# Process-level view of the same comparison, when hyperfine happens to be installed (nothing requires it).
if command -v hyperfine >/dev/null 2>&1; then
  cd "$REPRO_BENCH_GIT_REPO"
  hyperfine -N --warmup 3 --runs 20 \
    'git status --porcelain' \
    'git --no-optional-locks status --porcelain=v2 -z --no-renames --untracked-files=all' \
    'git -c diff.autoRefreshIndex=false diff HEAD --binary --no-renames --no-ext-diff --no-textconv --no-color --submodule=short --ignore-submodules=none' \
    'git ls-files --others --exclude-standard -z --exclude=.repro/'
  cd - >/dev/null
fi

project="$here/../Repro.Benchmarks"
dotnet build -c Release "$project" >/dev/null
# Round by round (robust on a shared machine), then BenchmarkDotNet's own statistics.
dotnet run -c Release --no-build --project "$project" -- --interleaved-git-capture "${REPRO_BENCH_ROUNDS:-30}"
dotnet run -c Release --no-build --project "$project" -- --filter '*GitCaptureBenchmarks*' "$@"
