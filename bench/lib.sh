# shellcheck shell=bash disable=SC2154
# Shared by the end-to-end benchmark scripts (bench/*/end-to-end.sh): interleaved timing rounds and medians.
# Source it after defining `cases`, an array of "label|shell command" entries.
#   bench_warm_up          runs every case once, output discarded (page cache, index stat data, JIT'd tools)
#   bench_rounds ROUNDS    runs every case once per round, in order, so a change in the machine's load hits every case
#                          alike; appends each wall time (ms) to samples[i], space-separated; exits when a case fails
#   bench_column I         prints the samples of case I, one per line
#   bench_median I         prints the median of case I
#   median                 prints the median of the numbers on standard input (spaces or newlines)
#   bench_label I          prints the label of case I
declare -A samples

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

bench_label() { echo "${cases[$1]%%|*}"; }

bench_warm_up() {
  local spec
  for spec in "${cases[@]}"; do eval "${spec#*|}" >/dev/null 2>&1 || true; done
}

bench_rounds() {
  local rounds="$1" i start end
  echo "measuring $rounds interleaved rounds (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for _ in $(seq "$rounds"); do
    for i in "${!cases[@]}"; do
      start=$EPOCHREALTIME
      eval "${cases[$i]#*|}" >/dev/null 2>&1 || { echo "failed: ${cases[$i]#*|}" >&2; exit 1; }
      end=$EPOCHREALTIME
      samples[$i]+="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", (e - s) * 1000 }') "
    done
  done
}

bench_column() { echo "${samples[$1]}" | tr ' ' '\n' | grep .; }

bench_median() { echo "${samples[$1]}" | median; }
