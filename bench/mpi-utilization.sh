#!/usr/bin/env bash
# Worker utilization: N ranks (default 64), an objective that sleeps 1 s, ALGORITHM (default gp), ROUNDS trials per
# worker (default 4; more rounds weigh the ranks' start-up transient less).
# Utilization = Σ trial durations / (master loop seconds × workers). Build first: bash .ci/build
set -euo pipefail
ranks=${1:-64}; algorithm=${2:-gp}; rounds=${3:-4}; budget=$(( (ranks - 1) * rounds ))
top=$(cd "$(dirname "$0")/.." && pwd); dll=${HPCTUNE_DLL:-$top/artifacts/publish/HpcTune/HpcTune.dll}; work=$(mktemp -d)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cat > "$work/study.json" <<JSON
{"name": "utilization", "parameters": [{"name": "x", "bounds": {"min": 0, "max": 1}}, {"name": "y", "bounds": {"min": 0, "max": 1}}],
 "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": $budget, "parallel_bandwidth": $((ranks - 1)), "algorithm": {"name": "$algorithm", "seed": 1}}
JSON
mpiexec --oversubscribe -n "$ranks" dotnet "$dll" run --study "$work/study.json" \
  --checkpoint "$work/ckpt" --command /bin/sh -c 'sleep 1; echo 1' > "$work/out.txt" 2> "$work/err.txt"
dotnet "$dll" export --checkpoint "$work/ckpt" --format json > "$work/trials.json"
/usr/bin/python3 - "$work" "$ranks" <<'PY'
import json, re, sys
work, ranks = sys.argv[1], int(sys.argv[2])
trials = json.load(open(f"{work}/trials.json"))
busy = sum(t["metadata"].get("duration_s", 0) for t in trials)
wall = float(re.search(r"in ([0-9.]+) s", open(f"{work}/out.txt").read()).group(1))
print(f"{len(trials)} trials on {ranks - 1} workers: busy {busy:.1f} s, master loop {wall:.1f} s, utilization {busy / (wall * (ranks - 1)):.1%}")
PY
rm -rf "$work"
