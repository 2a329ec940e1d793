#!/usr/bin/env bash
# Suggest → observe pairs per second through `HpcTune serve` (C concurrent network clients) beside the same through
# MPI (C+1 ranks: C workers), random sampler, zero-cost objective (Branin). Run them side by side: this machine's
# load drifts from minute to minute. CLIENTS defaults to "1 8 64"; extra arguments go to the bench's `service`.
# Build first: dotnet build HpcTune.sln -c Release (the bench carries HpcTune.dll; MPI needs build/native).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bench=${HPCTUNE_BENCH_DLL:-$top/artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll}
export HPCTUNE_DLL=${HPCTUNE_DLL:-$top/artifacts/bin/HpcTune.Bench/release/HpcTune.dll}
clients=${CLIENTS:-1 8 64}
work=$(mktemp -d "${TMPDIR:-/tmp}/service-vs-mpi.XXXX")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$work" && dotnet "$bench" service --clients "$(echo "$clients" | tr ' ' ',')" --dir "$work" --csv "$work/service.csv" "$@")
for c in $clients; do
  bash "$top/bench/mpi-dispatch.sh" $((c + 1)) 5000 | tail -1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
