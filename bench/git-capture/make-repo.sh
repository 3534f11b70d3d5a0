#!/usr/bin/env bash
# Creates (once) a repository of N tracked files with one modified file, for the git capture benchmark.
# Usage: make-repo.sh [DIR] [N]   (defaults: /tmp/repro-bench-git-100k, 100000)
# The commit is built with git fast-import so that creating 100,000 files takes seconds, not minutes.
set -euo pipefail
dir="${1:-/tmp/repro-bench-git-100k}"
count="${2:-100000}"

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
if [ -f "$dir/.bench-ready" ] && [ "$(cat "$dir/.bench-ready")" = "$count" ]; then
  echo "$dir: ready ($count files)"
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
git init -q -b main .
git config user.name bench
git config user.email bench@example.invalid
git config commit.gpgsign false

# Files spread over 2 levels of folders (100 per folder) like a real source tree.
awk -v n="$count" 'BEGIN {
  printf "commit refs/heads/main\ncommitter bench <bench@example.invalid> 1700000000 +0000\ndata 6\nfiles\n"
  for (i = 0; i < n; i++) {
    body = sprintf("file %d\nline two of file %d\n", i, i)
    printf "M 100644 inline src/d%03d/e%02d/f%06d.txt\ndata %d\n%s\n", int(i / 1000), int(i / 100) % 10, i, length(body), body
  }
  ignore = ".bench-ready\n"
  printf "M 100644 inline .gitignore\ndata %d\n%s\n", length(ignore), ignore
}' | git fast-import --quiet
git checkout -q -f main
# Settle the index's stat data once, as any user's first `git status` would.
git status --porcelain >/dev/null
printf 'changed\n' >> src/d050/e05/f050500.txt
echo "$count" > .bench-ready
echo "$dir: created ($count files, 1 modified)"
