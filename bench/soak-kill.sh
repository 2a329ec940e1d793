#!/usr/bin/env bash
# Soak test of crash safety: the MPI kill loop of tests/HpcTune.Cli.Tests/MpiFaultTests.cs with KILLS SIGKILLs
# (default 200) of the whole 4-rank mpiexec job at random moments, resuming after each; prints the counts.
# Not part of CI (about 4-5 s per kill on 2 cores: ~15 min for 200). Build first: bash .ci/build
#   bash bench/soak-kill.sh [KILLS]
set -euo pipefail
kills=${1:-200}
[[ $kills =~ ^[0-9]+$ ]] || { echo "usage: bash bench/soak-kill.sh [KILLS]" >&2; exit 2; }
cd "$(dirname "$0")/.."
report=$(mktemp)
trap 'rm -f "$report"' EXIT
export HPCTUNE_SOAK_KILLS=$kills HPCTUNE_SOAK_REPORT=$report
start=$(date +%s)
if dotnet test --project tests/HpcTune.Cli.Tests -c Release --no-build --filter-method "*Kill_9s_of_the_whole_job*"; then
  verdict=passed
else
  verdict=FAILED
fi
echo "soak: $verdict in $(($(date +%s) - start)) s"
[ -s "$report" ] && /usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for key, value in r.items():
    print(f"  {key:28} {value}")
' "$report"
[ "$verdict" = passed ]
