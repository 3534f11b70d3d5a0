#!/usr/bin/env bash
# Packs repro from this repository and installs it as a .NET tool, as README.md's install steps do (on linux-x64 the
# ReadyToRun package), then prints the path of the installed `repro`. The benchmarks measure that tool.
# Usage: bench/install-tool.sh DIR        (packages go to DIR/packages, the tool to DIR/tool)
set -euo pipefail
repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: install-tool.sh DIR}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
rm -rf "$dir/packages" "$dir/tool"
dotnet pack "$repository/src/Repro.Cli" -c Release -o "$dir/packages" -nologo -v:quiet >/dev/null
version="$(cd "$dir/packages" && ls repro.any.*.nupkg | sed -e 's/^repro\.any\.//' -e 's/\.nupkg$//')"
dotnet tool install --tool-path "$dir/tool" --add-source "$dir/packages" repro --version "$version" >/dev/null
echo "$dir/tool/repro"
