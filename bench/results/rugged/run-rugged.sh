#!/bin/sh
# 20 seeds, sequential, GP before/after side by side on the rugged functions
cd /work/wt-rugged
for f in levy8 styblinskitang10 rastrigin8; do
  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality --seeds 20 --budget 200 --at 50,100,200 --open 1 --parallel 2 \
    --functions $f --algorithms gp,gp:coordinate_moves=8:coordinate_moves_when=always,sobol,random --csv bench/results/rugged/$f.csv --runs bench/results/rugged/$f-runs.csv > bench/results/rugged/$f.log 2>&1
done
