#!/bin/sh
# The paying schedule with back-off (bench variant gp-moves-backoff-3: as gp-moves-paying-3, and moves that went off
# come back for one stall's worth after 1, 2, 4, ... stalls without them), 20 seeds, the cells that decide.
cd "$(dirname "$0")/../../.."
A=gp-moves-backoff-3
B="nice -n 5 dotnet ${BENCH:-artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll} quality --budget 200 --at 50,100,200 --parallel 2 --seeds 20 --algorithms $A"
O=bench/results/rugged/backoff
mkdir -p $O
run() { # open function
  $B --open $1 --functions $2 --csv $O/o$1-$2.csv --runs $O/o$1-$2-runs.csv > $O/o$1-$2.log 2>&1
}
if [ "$1" != rest ]; then
  run 1 styblinskitang10; run 8 hartmann6; run 1 rosenbrock4; run 1 levy8; run 8 branin
else
  run 8 levy8; run 8 styblinskitang10; run 1 branin; run 1 hartmann6; run 8 rosenbrock4; run 1 ackley10; run 8 ackley10; run 1 rastrigin8
fi
