#!/bin/sh
# 5-seed screen of the paying schedule (docs/gp-rugged.md): coordinate_moves=8, off for the rest of a search after K
# stalls' worth of moves without improving (bench variants gp-moves-paying-K), sequential Levy-8 and Rosenbrock-4;
# plus gp at seeds 1-2 of Rosenbrock-4 to check that the baseline per-seed files still reproduce.
cd "$(dirname "$0")/../../.."
B="nice -n 5 dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality --budget 200 --at 50,100,200 --parallel 2 --open 1"
O=bench/results/rugged/paying
$B --functions rosenbrock4 --seeds 2 --algorithms gp --csv $O/check-gp.csv --runs $O/check-gp-runs.csv > $O/check-gp.log 2>&1
for f in rosenbrock4 levy8; do
  $B --seeds 5 --functions $f --algorithms gp-moves-paying-1,gp-moves-paying-2,gp-moves-paying-3 \
    --csv $O/screen-o1-$f.csv --runs $O/screen-o1-$f-runs.csv > $O/screen-o1-$f.log 2>&1
done
