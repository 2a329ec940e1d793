#!/usr/bin/env bash
# Dispatch rate: random sampler, zero-cost objective (builtin:branin), N ranks (default 8), BUDGET suggestions.
# Prints suggestions per second from the master's own timing (the summary line), after the raw MPI baseline measured
# with the same ranks (build/native/mpi_pingpong: rank 0 ping-pongs each rank in turn, blocking MPI calls).
# Build first: bash .ci/build
set -euo pipefail
# BANDWIDTH (default RANKS-1) above the worker count gives each rank several slots (prefetched suggestions).
ranks=${1:-8}; budget=${2:-5000}; bandwidth=${3:-$((ranks - 1))}
top=$(cd "$(dirname "$0")/.." && pwd); dll=${HPCTUNE_DLL:-$top/artifacts/publish/HpcTune/HpcTune.dll}; work=$(mktemp -d "${TMPDIR:-/tmp}/dispatch.XXXX")
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cat > "$work/study.json" <<JSON
{"name": "dispatch", "parameters": [{"name": "x1", "bounds": {"min": -5, "max": 10}}, {"name": "x2", "bounds": {"min": 0, "max": 15}}],
 "metrics": [{"name": "value", "objective": "minimize"}], "observation_budget": $budget, "parallel_bandwidth": $bandwidth, "algorithm": {"name": "random", "seed": 1}}
JSON
mpiexec --oversubscribe -n "$ranks" "$top/build/native/mpi_pingpong" "$budget" 200
mpiexec --oversubscribe -n "$ranks" dotnet "$dll" run --study "$work/study.json" \
  --checkpoint "$work/ckpt" --objective builtin:branin > "$work/out.txt" 2> "$work/err.txt"
seconds=$(grep -oE 'completed, [0-9]+ failed, in [0-9.]+ s' "$work/out.txt" | grep -oE '[0-9.]+ s' | grep -oE '[0-9.]+')
echo "ranks $ranks, bandwidth $bandwidth, budget $budget: $seconds s, $(awk -v b="$budget" -v s="$seconds" 'BEGIN {printf "%.0f", b / s}') suggestions/s"
rm -rf "$work"
