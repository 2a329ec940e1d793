#!/usr/bin/env bash
# Damage fuzz of the journal: tests/HpcTune.Core.Tests/Journal/JournalDamageFuzzTests.cs (300 cases in CI) with
# CASES cases (default 10000): seeded random damage — bit flips, truncation, cuts at record boundaries, bytes
# inserted or deleted, records swapped, deleted or repeated, zeroed ranges, garbage appended — to copies of one
# journal, each read (and repaired when refused) under a per-case time limit; prints the tally of outcomes.
# Not part of CI (about 5 min per 10,000 cases on 2 shared cores, mostly repair's fsyncs). Build first: bash .ci/build
#   bash bench/journal-fuzz.sh [CASES] [SEED]
set -euo pipefail
cases=${1:-10000}
seed=${2:-23}
[[ $cases =~ ^[0-9]+$ && $seed =~ ^[0-9]+$ ]] || { echo "usage: bash bench/journal-fuzz.sh [CASES] [SEED]" >&2; exit 2; }
cd "$(dirname "$0")/.."
report=$(mktemp)
trap 'rm -f "$report"' EXIT
export HPCTUNE_FUZZ_CASES=$cases HPCTUNE_FUZZ_SEED=$seed HPCTUNE_FUZZ_REPORT=$report
start=$(date +%s)
if dotnet test --project tests/HpcTune.Core.Tests -c Release --no-build -- --filter-method "*Random_damage_is_refused_or_recovered_never_dropped_silently*"; then
  verdict=passed
else
  verdict=FAILED
fi
echo "journal fuzz: $verdict in $(($(date +%s) - start)) s"
[ -s "$report" ] && cat "$report"
[ "$verdict" = passed ]
