#!/usr/bin/env bash
# Git capture end to end, as a user meets it: whole `repro run` processes (entry point `true`) in a repository of
# 100,000 tracked files with one modified, minus the same run in a small repository, against `git status --porcelain`
# on the big one. Interleaved rounds; prints a markdown table and one --timings breakdown per repository.
# Usage: bench/git-capture/end-to-end.sh [ROUNDS]          (default 15)
# Environment: REPRO_BENCH_GIT_REPO (default /tmp/repro-bench-git-100k, made by make-repo.sh and kept),
# REPRO_BENCH_GIT_FILES (default 100000), REPRO_BENCH_REPRO (a repro executable to measure instead of publishing one).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds="${1:-15}"
big="${REPRO_BENCH_GIT_REPO:-/tmp/repro-bench-git-100k}"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
unset REPRO_STORE

work="$(mktemp -d "${TMPDIR:-/tmp}/repro-git-e2e.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$here/make-repo.sh" "$big" "${REPRO_BENCH_GIT_FILES:-100000}" >&2
repro="${REPRO_BENCH_REPRO:-$("$here/../install-tool.sh" "$work")}"

mlproject='name: noop
entry_points:
  main:
    command: "true"
'
# The big repository gets its MLproject committed once; its one modified file stays modified.
if ! git -C "$big" cat-file -e HEAD:MLproject 2>/dev/null; then
  printf '%s' "$mlproject" > "$big/MLproject"
  git -C "$big" add MLproject
  git -C "$big" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false commit -q -m "MLproject" -- MLproject
fi
small="$work/small"
mkdir -p "$small/src"
git -C "$small" init -q -b main
printf '%s' "$mlproject" > "$small/MLproject"
printf 'file 0\nline two of file 0\n' > "$small/src/f000000.txt"
git -C "$small" add -A
git -C "$small" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false commit -q -m small
printf 'changed\n' >> "$small/src/f000000.txt"

cases=(
  "git status --porcelain (100,000 files)|cd '$big' && git status --porcelain"
  "repro run, 100,000 files|cd '$big' && '$repro' run . --store '$work/store-big'"
  "repro run, small repository|cd '$small' && '$repro' run . --store '$work/store-small'"
)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
bench_warm_up
bench_rounds "$rounds"

status_median="$(bench_median 0)"
big_median="$(bench_median 1)"
small_median="$(bench_median 2)"
per_round="$(paste -d' ' <(bench_column 0) <(bench_column 1) <(bench_column 2) | awk '{ printf "%.4f ", ($2 - $3) / $1 }' | median)"

echo
echo "$(nproc) cores, git $(git --version | cut -d' ' -f3), load average after: $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds"
echo
echo "| what | median (ms) |"
echo "|---|---:|"
for i in "${!cases[@]}"; do
  echo "| $(bench_label "$i") | $(bench_median "$i") |"
done
awk -v b="$big_median" -v s="$small_median" -v g="$status_median" -v r="$per_round" 'BEGIN {
  printf "| git capture end to end: run(100,000) - run(small) | %.1f |\n", b - s
  printf "\nratio to git status --porcelain: %.2f (ratio of medians), %.2f (median of per-round ratios); target <= 1.0\n", (b - s) / g, r
}'

echo
echo "One --timings breakdown each (what grows with the repository):"
for repository in "$big" "$small"; do
  echo
  echo "$repository:"
  (cd "$repository" && "$repro" run . --store "$work/store-timings" --timings 2>&1 >/dev/null | grep -E '^repro: +[0-9]' || true)
done
