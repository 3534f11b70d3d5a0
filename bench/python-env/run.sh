#!/usr/bin/env bash
# Issue #14's speed targets, end to end through the built CLI (Release):
#  1. reusing a built python_env environment adds at most 50 ms to a run: `repro run` of a project under
#     --env-manager virtualenv (environment cached) against the same project under --env-manager local, interleaved;
#  2. re-running a project URI whose commit is cached makes no network access and no git fetch: every git process
#     repro starts is logged by a wrapper, the upstream is moved away before the re-runs, and the re-runs are timed
#     against a run of a local clone of the same commit.
# Usage: bench/python-env/run.sh [ROUNDS] (default 15). Needs python3 with venv and pip, and git. Offline: the package
# is a wheel the script writes, installed with PIP_NO_INDEX=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
dotnet build -c Release "$root/src/Repro.Cli" >/dev/null
exec python3 "$here/measure.py" "$root/src/Repro.Cli/bin/Release/net10.0/repro.dll" "${1:-15}"
