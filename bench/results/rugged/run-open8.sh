#!/bin/sh
# 20 seeds, 8 open suggestions, GP before/after side by side; $1 = pid to wait for, then the functions
cd /work/wt-rugged
wait_for=$1; shift
while kill -0 $wait_for 2>/dev/null; do sleep 10; done
for f in "$@"; do
  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality --seeds 20 --budget 200 --at 50,100,200 --open 8 --parallel 2 \
    --functions $f --algorithms gp,gp:coordinate_moves=8:coordinate_moves_when=always --csv bench/results/rugged/open8-$f.csv --runs bench/results/rugged/open8-$f-runs.csv > bench/results/rugged/open8-$f.log 2>&1
done
