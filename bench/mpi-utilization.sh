#!/usr/bin/env bash
# Worker utilization: N ranks (default 64), ALGORITHM (default gp), ROUNDS trials per worker (default 4), and an
# objective that sleeps 1 s (DURATION fixed, the default) or 0.5-2 s drawn per trial (DURATION random).
# Prints Σ trial durations / (master loop seconds × workers), and the steady state: each rank from its first result
# to its last (its first trial carries the rank's cold start; the last round drains unevenly with random durations),
# and the master's CPU time over that time (its log line: all its threads, the ready queue's included). Also the
# whole job's wall time, start-up included: the master loop's clock starts when the last rank is ready, so work
# moved to before "ready" (a warm-up) raises the utilization without making the job any shorter; so the utilization
# over the whole job (Σ trial durations / (mpiexec's wall time × workers), start-up and shutdown included) comes last.
# BANDWIDTH (default RANKS-1: one suggestion per rank) at 2×(RANKS-1) or more gives each rank a second slot: its next
# suggestion waits at the rank while the objective runs (prefetch), at the price of that many more open suggestions.
# Build first: bash .ci/build
set -euo pipefail
ranks=${1:-64}; algorithm=${2:-gp}; rounds=${3:-4}; duration=${4:-fixed}; bandwidth=${5:-}
[[ $ranks =~ ^[0-9]+$ && $ranks -ge 2 ]] || { echo "RANKS must be an integer of at least 2 (a master and a worker), got '$ranks'" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2; }
bandwidth=${bandwidth:-$((ranks - 1))}
[[ $bandwidth =~ ^[1-9][0-9]*$ ]] || { echo "BANDWIDTH must be a positive integer, got '$bandwidth'" >&2; exit 2; }
budget=$(( (ranks - 1) * rounds ))
top=$(cd "$(dirname "$0")/.." && pwd); dll=${HPCTUNE_DLL:-$top/artifacts/publish/HpcTune/HpcTune.dll}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
case "$duration" in
  fixed) objective=(/bin/sh -c 'sleep 1; echo 1') ;;
  random) objective=(/usr/bin/awk -v trial='{trial_id}' 'BEGIN { srand(trial); system("sleep " 0.5 + 1.5 * rand()); print 1 }') ;;
  *) echo "DURATION must be fixed or random, got '$duration'" >&2; exit 2 ;;
esac
work=$(mktemp -d)
cat > "$work/study.json" <<JSON
{"name": "utilization", "parameters": [{"name": "x", "bounds": {"min": 0, "max": 1}}, {"name": "y", "bounds": {"min": 0, "max": 1}}],
 "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": $budget, "parallel_bandwidth": $bandwidth, "algorithm": {"name": "$algorithm", "seed": 1}}
JSON
started=$(date +%s.%N)
mpiexec --oversubscribe -n "$ranks" dotnet "$dll" run --study "$work/study.json" \
  --checkpoint "$work/ckpt" --command "${objective[@]}" > "$work/out.txt" 2> "$work/err.txt" \
  || { code=$?; echo "the job failed (exit $code); its standard error begins:" >&2; { grep -v "^info:" "$work/err.txt" || true; } | head -5 >&2; rm -rf "$work"; exit "$code"; }
job=("$started" "$(date +%s.%N)") # mpiexec's own time, start-up and shutdown included; not the export below
dotnet "$dll" export --checkpoint "$work/ckpt" --format json > "$work/trials.json"
/usr/bin/python3 - "$work" "$ranks" "$bandwidth" "${job[@]}" <<'PY'
import collections, datetime, json, re, statistics, sys
work, ranks, bandwidth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
job = float(sys.argv[5]) - float(sys.argv[4])
trials = json.load(open(f"{work}/trials.json"))
at = lambda stamp: datetime.datetime.fromisoformat(stamp).timestamp()
busy = sum(t["metadata"].get("duration_s", 0) for t in trials)
wall = float(re.search(r"in ([0-9.]+) s", open(f"{work}/out.txt").read()).group(1))
by_rank = collections.defaultdict(list)
for t in trials:
    by_rank[t["metadata"]["rank"]].append(t)  # not the worker name: with slots a rank is "rank-3", "rank-3.1", ...
steady_busy = steady_span = 0.0
for held in by_rank.values():
    held.sort(key=lambda t: at(t["created"]))
    steady_busy += sum(t["metadata"]["duration_s"] for t in held[1:])
    steady_span += at(held[-1]["finished"]) - at(held[0]["finished"])
# Handoff: what a trial spent outside its objective (the result's trip, the journal, the next suggestion; with
# slots, also its wait in the rank's queue behind the trial before it).
handoff = [at(t["finished"]) - at(t["created"]) - t["metadata"]["duration_s"] for t in trials]
# With slots a rank's second trial starts at the rank before its first result is recorded at the master, so the
# span between recorded results no longer bounds the busy time: no steady-state figure then.
steady = ("n/a (slots)" if bandwidth >= 2 * (ranks - 1) else
          f"{steady_busy / steady_span:.1%}" if steady_span > 0 else "n/a (one round)")
cpu = re.search(r"master CPU ([0-9.]+) s in ([0-9.]+) s", open(f"{work}/err.txt").read())
master = f"; master CPU {float(cpu.group(1)) / float(cpu.group(2)):.0%} of a core" if cpu else ""
print(f"{len(trials)} trials on {ranks - 1} workers: busy {busy:.1f} s, master loop {wall:.1f} s, utilization {busy / (wall * (ranks - 1)):.1%}; "
      f"steady state {steady}; handoff median {statistics.median(handoff) * 1000:.0f} ms, mean {statistics.mean(handoff) * 1000:.0f} ms{master}; "
      f"whole job {job:.1f} s, utilization over it {busy / (job * (ranks - 1)):.1%}")
PY
rm -rf "$work"
