#!/usr/bin/env bash
# Cold hashing end to end, as a user meets it: a whole `repro run --rehash` process whose entry point (`true`)
# declares 1 GiB in 16 files as inputs, against coreutils `sha256sum` over the same files (one process), all from
# the page cache, interleaved. Also shown: the same run with the hash cache (warm), a no-op run without inputs, and
# `openssl dgst -sha256` over the 16 files. Prints a markdown table.
# Usage: bench/hashing/end-to-end.sh [ROUNDS]          (default 10)
# Environment: REPRO_BENCH_HASH_DIR (default $TMPDIR/repro-bench-hashing-e2e: the project and its 1 GiB of data,
# kept between runs), REPRO_BENCH_REPRO (a repro executable to measure instead of publishing one).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds="${1:-10}"
project="${REPRO_BENCH_HASH_DIR:-${TMPDIR:-/tmp}/repro-bench-hashing-e2e}"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
unset REPRO_STORE

work="$(mktemp -d "${TMPDIR:-/tmp}/repro-hash-e2e.XXXXXX")"
trap 'rm -rf "$work"' EXIT
repro="${REPRO_BENCH_REPRO:-$("$here/../install-tool.sh" "$work")}"

# A committed project whose data folder is ignored by git (so git capture does not hash it as untracked files).
if [ ! -f "$project/.bench-ready" ]; then
  rm -rf "$project"
  mkdir -p "$project/data"
  git -C "$project" init -q -b main
  printf 'data/\n.bench-ready\n' > "$project/.gitignore"
  cat > "$project/MLproject" <<'YAML'
name: hash
entry_points:
  main:
    command: "true"
    inputs:
      - data/
  noop:
    command: "true"
YAML
  git -C "$project" add -A
  git -C "$project" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false commit -q -m project
  for i in $(seq -w 1 16); do
    head -c $((64 * 1024 * 1024)) /dev/urandom > "$project/data/part-$i.bin"
  done
  touch "$project/.bench-ready"
fi
files=("$project"/data/part-*.bin)

cases=(
  "sha256sum (coreutils), 16 files|sha256sum ${files[*]}"
  "openssl dgst -sha256, 16 files|openssl dgst -sha256 ${files[*]}"
  "repro run --rehash (cold), 16 files|cd '$project' && '$repro' run . --rehash --store '$work/store'"
  "repro run (hash cache warm), 16 files|cd '$project' && '$repro' run . --store '$work/store'"
  "repro run -e noop (no inputs)|cd '$project' && '$repro' run . -e noop --store '$work/store'"
)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
cat "${files[@]}" > /dev/null   # into the page cache
bench_warm_up
sleep 3   # files older than the hash cache's racy margin, so the warm case really hits
bench_warm_up
bench_rounds "$rounds"

sha_median="$(bench_median 0)"
cold_per_round="$(paste -d' ' <(bench_column 0) <(bench_column 2) | awk '{ printf "%.4f ", $1 / $2 }' | median)"
echo
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(openssl version | cut -d' ' -f1-2), load average after: $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds"
echo
echo "| what | median (s) | sha256sum / this |"
echo "|---|---:|---:|"
for i in "${!cases[@]}"; do
  m="$(bench_median "$i")"
  awk -v n="$(bench_label "$i")" -v m="$m" -v s="$sha_median" 'BEGIN { printf "| %s | %.3f | %.2f |\n", n, m / 1000, s / m }'
done
echo
echo "cold repro run against sha256sum: median of per-round ratios $(printf '%.2f' "$cold_per_round"); target >= 8"
echo
echo "One --timings breakdown of the cold run:"
(cd "$project" && "$repro" run . --rehash --store "$work/store" --timings 2>&1 >/dev/null | grep -E '^repro: +[0-9]' || true)
