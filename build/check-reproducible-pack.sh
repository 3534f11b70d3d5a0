#!/usr/bin/env bash
# repro's own package is reproducible: packs the tool in two clean clones of HEAD, at two different paths, one after
# the other (so at different times) and in two time zones, then requires every .nupkg to be byte-identical.
# Usage: build/check-reproducible-pack.sh [REPOSITORY]   (default: the repository holding this script)
set -euo pipefail

repository=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/repro-pack-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

# SOURCE_DATE_EPOCH would fix the zip times from outside; unset, the build takes them from the commit itself.
unset SOURCE_DATE_EPOCH
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

# Both clones pack the commit HEAD named when the check began, whatever is committed meanwhile.
commit=$(git -C "$repository" rev-parse --verify HEAD)

pack() { # CLONE OUTPUT TZ
  git clone --quiet --no-hardlinks "$repository" "$1"
  git -C "$1" checkout --quiet --detach "$commit"
  (cd "$1" && TZ=$3 dotnet pack src/Repro.Cli -c Release -p:RestoreLockedMode=true -o "$2" -nologo -v:quiet)
}

pack "$work/first" "$work/packages-first" UTC
pack "$work/second/at/another/path" "$work/packages-second" Pacific/Kiritimati

(cd "$work/packages-first" && sha256sum -- *.nupkg) > "$work/first.sha256"
(cd "$work/packages-second" && sha256sum -- *.nupkg) > "$work/second.sha256"
cat "$work/first.sha256"
if [ "$(wc -l < "$work/first.sha256")" -lt 1 ] || ! diff -u "$work/first.sha256" "$work/second.sha256"; then
  echo "check-reproducible-pack: the two clones packed different bytes" >&2
  exit 1
fi
echo "check-reproducible-pack: $(wc -l < "$work/first.sha256") package(s) of $commit, byte-identical across clones"
