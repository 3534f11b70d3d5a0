#!/usr/bin/env bash
# repro list on a store of 10,000 realistic manifests: end to end (process start included) with the index warm and
# with it deleted, then RunIndex.Synchronize+Query alone under BenchmarkDotNet.
# Usage: bench/run-listing/run.sh [BenchmarkDotNet arguments]. Environment: REPRO_BENCH_ROUNDS (default 15).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
dotnet build -c Release "$root/src/Repro.Cli" >/dev/null
dotnet build -c Release "$root/bench/Repro.Benchmarks" >/dev/null
dotnet run -c Release --no-build --project "$root/bench/Repro.Benchmarks" -- --list-timing "$root/src/Repro.Cli/bin/Release/net10.0/repro.dll" "${REPRO_BENCH_ROUNDS:-15}"
dotnet run -c Release --no-build --project "$root/bench/Repro.Benchmarks" -- --filter '*RunListingBenchmarks*' "$@"
