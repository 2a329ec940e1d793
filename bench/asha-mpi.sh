#!/usr/bin/env bash
# ASHA under MPI: RANKS ranks (default 16: a master and 15 workers), BUDGET trials (default 10 per worker), an objective
# that sleeps STEP seconds per step (default 0.1) for up to MAX steps (default 27) and reports a loss after each step
# (a per-trial floor from the parameters plus 1/step, so ASHA has something to rank), early_stopping asha with
# min_steps 1 and reduction_factor 3. Prints, like bench/mpi-utilization.sh:
#  - utilization: Σ objective durations (stopped trials included) / (master loop seconds × workers);
#  - refill after a stop: for every pruned trial, the time from its end (finished, as journaled) to the next trial
#    that the same rank was given (suggested), beside the same gap after a completed trial; and from the pruned
#    trial's last journaled report (the one ASHA stopped it at, or one after if the objective ran ahead) to that next
#    suggestion, which adds SIGTERM, the objective's exit and the worker's message; and to the next objective's
#    start on the rank, estimated as its finished time less its duration_s (late by its own result's trip);
#  - how many trials were pruned at each step, and the whole job's wall time.
# RULE (default asha) none runs the same study without early stopping: the baseline utilization of this objective.
# Build first: bash .ci/build
set -euo pipefail
ranks=${1:-16}; budget=${2:-}; step=${3:-0.1}; max=${4:-27}; rule=${5:-asha}
[[ $ranks =~ ^[0-9]+$ && $ranks -ge 2 ]] || { echo "RANKS must be an integer of at least 2 (a master and a worker), got '$ranks'" >&2; exit 2; }
budget=${budget:-$(( (ranks - 1) * 10 ))}
[[ $budget =~ ^[1-9][0-9]*$ ]] || { echo "BUDGET must be a positive integer, got '$budget'" >&2; exit 2; }
[[ $step =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "STEP must be a number of seconds, got '$step'" >&2; exit 2; }
[[ $max =~ ^[1-9][0-9]*$ ]] || { echo "MAX must be a positive integer, got '$max'" >&2; exit 2; }
case "$rule" in
  asha) early=", \"early_stopping\": {\"name\": \"asha\", \"min_steps\": 1, \"max_steps\": $max, \"reduction_factor\": 3}" ;;
  none) early="" ;;
  *) echo "RULE must be asha or none, got '$rule'" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd); dll=${HPCTUNE_DLL:-$top/artifacts/publish/HpcTune/HpcTune.dll}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# awk, not a shell loop: one process per trial (plus its sleeps), flushed after every report.
objective=(/usr/bin/awk -v x='{x}' -v y='{y}' -v step="$step" -v max="$max" 'BEGIN {
  floor = (x - 0.3) ^ 2 + (y - 0.6) ^ 2
  for (s = 1; s <= max; s++) {
    system("sleep " step)
    loss = floor + 1 / s
    printf "HPCTUNE_REPORT {\"step\": %d, \"loss\": %.6f}\n", s, loss; fflush()
  }
  printf "%.6f\n", loss }')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/study.json" <<JSON
{"name": "asha-mpi", "parameters": [{"name": "x", "bounds": {"min": 0, "max": 1}}, {"name": "y", "bounds": {"min": 0, "max": 1}}],
 "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": $budget, "parallel_bandwidth": $((ranks - 1)),
 "algorithm": {"name": "random", "seed": 1}$early}
JSON
started=$(date +%s.%N)
mpiexec --oversubscribe -n "$ranks" dotnet "$dll" run --study "$work/study.json" \
  --checkpoint "$work/ckpt" --command "${objective[@]}" > "$work/out.txt" 2> "$work/err.txt" \
  || { code=$?; echo "the job failed (exit $code); its standard error begins:" >&2; { grep -v "^info:" "$work/err.txt" || true; } | head -5 >&2; exit "$code"; }
job=("$started" "$(date +%s.%N)")
dotnet "$dll" export --checkpoint "$work/ckpt" --format json > "$work/trials.json"
/usr/bin/python3 - "$work" "$ranks" "$step" "$max" "${job[@]}" <<'PY'
import collections, datetime, json, math, re, statistics, sys
work, ranks, step, top = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
job = float(sys.argv[6]) - float(sys.argv[5])
trials = json.load(open(f"{work}/trials.json"))
at = lambda stamp: datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
states = collections.Counter(t["state"] for t in trials)
no_duration = [t for t in trials if "duration_s" not in t["metadata"]]
# A trial without duration_s (should a stopped one lack it): its time from suggested to finished, an upper bound.
busy = sum(t["metadata"].get("duration_s", at(t["finished"]) - at(t["suggested"])) for t in trials if t["finished"])
wall = float(re.search(r"in ([0-9.]+) s", open(f"{work}/out.txt").read()).group(1))
steps = sum(len(t["reports"]) for t in trials)
by_rank = collections.defaultdict(list)
for t in trials:
    by_rank[t["metadata"].get("rank", t["worker"])].append(t)
after = {"pruned": [], "completed": []}
start_after = {"pruned": [], "completed": []}
after_report = []
for held in by_rank.values():
    held.sort(key=lambda t: at(t["suggested"]))
    for t, following in zip(held, held[1:]):
        if t["state"] in after and t["finished"]:
            after[t["state"]].append(at(following["suggested"]) - at(t["finished"]))
            if following["finished"] and "duration_s" in following["metadata"]:
                started = at(following["finished"]) - following["metadata"]["duration_s"]
                start_after[t["state"]].append(started - at(t["finished"]))
            if t["state"] == "pruned" and t["reports"]:
                after_report.append(at(following["suggested"]) - at(t["reports"][-1]["time"]))
def gaps(values):
    if not values:
        return "none"
    ms = sorted(v * 1000 for v in values)
    return (f"median {statistics.median(ms):.0f} ms, p90 {ms[math.ceil(0.9 * len(ms)) - 1]:.0f} ms, max {ms[-1]:.0f} ms "
            f"(n={len(ms)})")
pruned_at = collections.Counter(len(t["reports"]) for t in trials if t["state"] == "pruned")
print(f"{len(trials)} trials on {ranks - 1} workers ({', '.join(f'{n} {s}' for s, n in sorted(states.items()))}), "
      f"{steps} steps of {step} s, max {top}: busy {busy:.1f} s, master loop {wall:.1f} s, "
      f"utilization {busy / (wall * (ranks - 1)):.1%}; whole job {job:.1f} s")
print(f"next trial on the same rank, from a pruned trial's end: {gaps(after['pruned'])}")
print(f"next trial on the same rank, from a completed trial's end: {gaps(after['completed'])}")
print(f"next trial on the same rank, from a pruned trial's last report: {gaps(after_report)}")
# The objective's start, estimated as its finished time less its duration: late by its own result's trip.
print(f"next objective's start on the same rank (upper bound), from a pruned trial's end: {gaps(start_after['pruned'])}; "
      f"from a completed trial's end: {gaps(start_after['completed'])}")
print("reports of the pruned trials: " + ", ".join(f"{n}: {c}" for n, c in sorted(pruned_at.items())))
if no_duration:
    print(f"note: {len(no_duration)} trials had no duration_s; their suggested-to-finished time was counted")
PY
