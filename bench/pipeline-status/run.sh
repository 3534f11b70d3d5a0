#!/usr/bin/env bash
# repro status on a 20-step pipeline over 10,000 input files, nothing changed: wall time end to end (process start
# included), median of REPRO_BENCH_ROUNDS runs, against two references timed in the same run on the same tree:
# `git status --porcelain` (stats every tracked file) and `sha256sum` of every input (what reading the content costs).
# With strace on PATH it also counts how many input files `repro status` opened (0 means no content read), and the
# flushes to disk (fsync, fdatasync, syncfs), files opened, object-store lookups (lstat) and threads started by one
# fully reused `repro pipeline`.
# It also times a fully reused `repro pipeline` (outputs moved aside first, so every step's outputs are restored from
# the store, nothing executed) against the issue's reference, "status plus restoring outputs": the `repro status` median
# plus the median of `cp -r` of the same output bytes from a saved copy. Status and pipeline alternate round by round. cp is the least any restore can cost (one
# process, no digest check, no object lookup), so the ratio is conservative; `repro checkout RUN --outputs` once per step
# would add 20 process starts to the reference and flatter the pipeline.
# Usage: bench/pipeline-status/run.sh. Environment: REPRO_BENCH_ROUNDS (default 7); REPRO_BENCH_REPRO (default: the
# installed tool, packed from this repository by bench/install-tool.sh, as users get it); REPRO_DLL (a build's
# repro.dll instead, run through `dotnet`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
rounds="${REPRO_BENCH_ROUNDS:-7}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ -n "${REPRO_DLL:-}" ]]; then
  repro_command=(dotnet "$REPRO_DLL")
else
  repro_command=("${REPRO_BENCH_REPRO:-$("$here/../install-tool.sh" "$work/install")}")
fi
project="$work/project"
mkdir -p "$project"
cd "$project"
git init -q -b main .
git config user.email bench@example.invalid
git config user.name bench
git config commit.gpgsign false
printf 'out/\n' > .gitignore
{
  echo "name: status-bench"
  echo "seed: 1"
  echo "entry_points:"
  for step in $(seq -w 0 19); do
    mkdir -p "data/s$step"
    for file in $(seq -w 0 499); do printf 'step %s file %s\n' "$step" "$file" > "data/s$step/f$file.txt"; done
    echo "  step$step:"
    echo "    command: \"mkdir -p out/s$step && echo $step > out/s$step/done\""
    if [[ "$step" == "00" ]]; then
      echo "    inputs: [data/s$step]"
    else
      echo "    inputs: [data/s$step, out/s$(printf '%02d' $((10#$step - 1)))]"
    fi
    echo "    outputs: [out/s$step]"
  done
} > MLproject
git add -A && git commit -q -m "20 steps over 10,000 files"

repro() { "${repro_command[@]}" "$@"; }
repro pipeline . >/dev/null 2>&1
sleep 3   # past the hash cache's racy-timestamp margin, so it vouches for every file
repro status . >/dev/null   # exit 0: everything up to date
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_ms() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }
cp -r out "$work/saved-out"
git_ms=$(for _ in $(seq "$rounds"); do time_ms git status --porcelain; done | median)
sha_ms=$(for _ in $(seq "$rounds"); do time_ms find data -type f -exec sha256sum {} +; done | median)
# status, the reused pipeline and cp alternate, round by round, so that all three see the same moments of the machine.
# The pipeline and cp run with out/ moved aside (every step restores its outputs; cp writes them all) and out/ is moved
# back after them: the same files, inodes and times, so each status finds what the first one found (outputs the hash
# cache vouches for).
: > "$work/rounds"
for _ in $(seq "$rounds"); do
  status_round=$(time_ms repro status .)
  mv out "$work/kept-out"
  reuse_round=$(time_ms repro pipeline .)
  rm -rf out
  restore_round=$(time_ms cp -r "$work/saved-out" out)
  rm -rf out
  mv "$work/kept-out" out
  echo "$status_round $reuse_round $restore_round" >> "$work/rounds"
done
status_ms=$(cut -d' ' -f1 "$work/rounds" | median)
reuse_ms=$(cut -d' ' -f2 "$work/rounds" | median)
restore_ms=$(cut -d' ' -f3 "$work/rounds" | median)
reference_ms=$((status_ms + restore_ms))
per_round=$(awk '{ printf "%.3f\n", $2 / ($1 + $3) }' "$work/rounds" | median)
echo "repro status, 20 steps x 10,000 input files, nothing changed: ${status_ms} ms (median of $rounds)"
echo "repro pipeline, every step reused, outputs moved aside first:${reuse_ms} ms"
echo "cp -r of the same output bytes (restoring, at the least):     ${restore_ms} ms"
echo "reference: repro status + cp of the outputs:                  ${reference_ms} ms"
echo "git status --porcelain on the same tree:                      ${git_ms} ms"
echo "sha256sum of every input file:                                ${sha_ms} ms"
awk -v s="$status_ms" -v g="$git_ms" -v h="$sha_ms" -v r="$reuse_ms" -v f="$reference_ms" -v p="$per_round" 'BEGIN { printf "ratio repro status / git status: %.2f; repro status / sha256sum: %.2f; reused pipeline / status: %.2f; reused pipeline / (status + restoring): %.2f (median of the per-round ratios: %.2f)\n", s / g, s / h, r / s, r / f, p }'
if command -v strace >/dev/null; then
  opened=$(strace -f -qq -e trace=openat -o "$work/trace" "${repro_command[@]}" status . >/dev/null 2>&1; grep -c '/data/s[0-9]*/f[0-9]*\.txt"' "$work/trace" || true)
  echo "input files opened by repro status: $opened"
  # Flushes to disk and files opened by one fully reused pipeline (outputs deleted first): counts that do not depend on
  # the machine's load. syncfs flushes a whole file system in one call (see docs/manifest.md, durability of reused steps).
  rm -rf out
  # lstat: the object store's lookups (one per input file kept, unless the reused run proves the object is there);
  # clone3: threads started.
  strace -f -qq -c -e trace=fsync,fdatasync,syncfs,openat,lstat,clone3 -o "$work/calls" "${repro_command[@]}" pipeline . >/dev/null 2>&1
  calls() { awk -v name="$1" '$NF == name { print $4; found = 1 } END { if (!found) print 0 }' "$work/calls"; }
  echo "reused pipeline, 20 steps: fsync $(calls fsync), fdatasync $(calls fdatasync), syncfs $(calls syncfs), openat $(calls openat), lstat $(calls lstat), threads started (clone3) $(calls clone3)"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
