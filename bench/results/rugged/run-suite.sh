#!/bin/sh
# 20 seeds, sequential, GP before/after side by side on the existing quality suite
cd /work/wt-rugged
for f in branin hartmann6 rosenbrock4 ackley10; do
  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality --seeds 20 --budget 200 --at 50,100,200 --open 1 --parallel 2 \
    --functions $f --algorithms gp,gp:coordinate_moves=8:coordinate_moves_when=always --csv bench/results/rugged/suite-$f.csv --runs bench/results/rugged/suite-$f-runs.csv > bench/results/rugged/suite-$f.log 2>&1
done
