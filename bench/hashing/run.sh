#!/usr/bin/env bash
# Hashing benchmark: repro's FileHasher and Fingerprinter against coreutils sha256sum and openssl dgst -sha256,
# on 1 GiB in 16 files and on one 1 GiB file, all from the page cache, interleaved in one run; medians.
# Usage: bench/hashing/run.sh [DATA_DIR] [REPETITIONS] [--tune]
# DATA_DIR (default: $TMPDIR/repro-bench-hashing) receives about 2 GiB of test data, kept between runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/hashing/Repro.Bench.Hashing.csproj -c Release -v quiet -nologo >/dev/null
exec dotnet bench/hashing/bin/Release/net10.0/Repro.Bench.Hashing.dll "$@"
