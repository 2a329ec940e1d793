#!/usr/bin/env bash
# CPU time of each rank of an MPI job, start-up included: RANKS ranks (default 9), ROUNDS trials per worker (default 1),
# objective `sh -c 'echo 1'` (what a rank spends around an objective, not in it), random sampler.
#   bash bench/mpi-rank-cpu.sh RANKS ROUNDS
# Each rank runs under /usr/bin/time (user + system, its objectives included). Prints the workers' mean, median and
# range and the master's, in ms. ROUNDS 1 against ROUNDS 2 gives what a rank's first trial costs with its start-up,
# against a later trial's. HPCTUNE_DLL picks another build (bench/side-by-side.sh sets it). Build first: bash .ci/build
set -euo pipefail
ranks=${1:-9}; rounds=${2:-1}
[[ $ranks =~ ^[0-9]+$ && $ranks -ge 2 ]] || { echo "RANKS must be an integer of at least 2 (a master and a worker), got '$ranks'" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd); dll=${HPCTUNE_DLL:-$top/artifacts/publish/HpcTune/HpcTune.dll}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat > "$work/study.json" <<JSON
{"name": "rank-cpu", "parameters": [{"name": "x", "bounds": {"min": 0, "max": 1}}], "metrics": [{"name": "loss", "objective": "minimize"}],
 "observation_budget": $(( (ranks - 1) * rounds )), "parallel_bandwidth": $((ranks - 1)), "algorithm": {"name": "random", "seed": 1}}
JSON
# Each rank writes its own file: the launcher names the rank in the environment of the shell it starts.
mpiexec --oversubscribe -n "$ranks" /bin/sh -c 'exec /usr/bin/time -f "%U %S" -o "$0/rank-$OMPI_COMM_WORLD_RANK.cpu" "$@"' "$work" \
  dotnet "$dll" run --study "$work/study.json" --checkpoint "$work/ckpt" --command /bin/sh -c 'echo 1' > "$work/out.txt" 2> "$work/err.txt" \
  || { code=$?; echo "the job failed (exit $code); its standard error begins:" >&2; head -5 "$work/err.txt" >&2; exit "$code"; }
/usr/bin/python3 - "$work" "$ranks" "$rounds" <<'PY'
import glob, os, statistics, sys
work, ranks, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cpu = {}
for path in glob.glob(f"{work}/rank-*.cpu"):
    user, system = open(path).read().split()[-2:]  # a line before them, if any, is time's note on the exit status
    cpu[int(os.path.basename(path)[5:-4])] = (float(user) + float(system)) * 1000
workers = [ms for rank, ms in cpu.items() if rank > 0]
print(f"{ranks} ranks, {rounds} trial(s) each: worker CPU mean {statistics.mean(workers):.0f} ms, median {statistics.median(workers):.0f} ms "
      f"({min(workers):.0f}-{max(workers):.0f}); master {cpu[0]:.0f} ms")
PY
