#!/bin/sh
# The paying schedule (coordinate_moves=8, coordinate_moves_when=paying, K = 3), 20 seeds per cell, the cells where the stalled
# schedule lost or gained first; the baseline gp at the same seeds is the 20-seed per-seed files beside this one
# (levy8, styblinskitang10, rastrigin8, suite-*, open8-*), which the check in run-paying-screen.sh reproduces.
cd "$(dirname "$0")/../../.."
A=gp-moves-paying-3 # the same as gp:coordinate_moves=8 with K = 3, the default
B="nice -n 5 dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality --budget 200 --at 50,100,200 --parallel 2 --seeds 20 --algorithms $A"
O=bench/results/rugged/paying
run() { # open function
  $B --open $1 --functions $2 --csv $O/o$1-$2.csv --runs $O/o$1-$2-runs.csv > $O/o$1-$2.log 2>&1
}
run 1 rosenbrock4; run 8 branin; run 8 hartmann6; run 1 levy8; run 1 styblinskitang10
run 8 levy8; run 8 styblinskitang10; run 1 branin; run 1 hartmann6; run 8 rosenbrock4
run 1 ackley10; run 8 ackley10; run 1 rastrigin8
