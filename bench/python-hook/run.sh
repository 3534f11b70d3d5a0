#!/usr/bin/env bash
# Start-up cost of repro's Python hook against the bare interpreter (docs/performance.md).
# Usage: bench/python-hook/run.sh [REPETITIONS] [PYTHON...]
# Default interpreters: Debian's /usr/bin/python3 (with numpy, for the import case) and the python3 on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
repetitions="${1:-200}"
shift || true
pythons=("$@")
if [ ${#pythons[@]} -eq 0 ]; then
  [ -x /usr/bin/python3 ] && pythons+=(/usr/bin/python3)
  # Through pyenv's shim python3 is a shell script: time the interpreter it starts.
  onpath="$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null || true)"
  [ -n "$onpath" ] && [ "$onpath" != /usr/bin/python3 ] && pythons+=("$onpath")
fi
for python in "${pythons[@]}"; do
  /usr/bin/env python3 bench.py "$python" "$repetitions"
  echo
done
