#!/bin/sh
# 5-seed screen of the rules for coordinate moves (docs/gp-rugged.md): $1 = algorithms, $2 = open, then functions
cd /work/wt-rugged
algs=$1; open=$2; shift 2
for f in "$@"; do
  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality --budget 200 --at 50,100,200 --parallel 2 --seeds 5 \
    --open $open --functions $f --algorithms $algs --csv bench/results/rugged/screen/o$open-$f-$algs.csv --runs bench/results/rugged/screen/o$open-$f-$algs-runs.csv > bench/results/rugged/screen/o$open-$f-$algs.log 2>&1
done
