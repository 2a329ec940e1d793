#!/bin/sh
# coordinate_moves=8 with the default schedule (stalled), 20 seeds in chunks of 5 (seeds 1-5 first for every function);
# the baseline gp (and coordinate_moves_when=always) at the same seeds are the 20-seed files beside this one.
cd /work/wt-rugged
B="dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality --budget 200 --at 50,100,200 --parallel 2 --algorithms gp:coordinate_moves=8"
O=bench/results/rugged/stalled
run() { # open function first-seed seeds
  $B --open $1 --functions $2 --first-seed $3 --seeds $4 --csv $O/o$1-$2-s$3.csv --runs $O/o$1-$2-s$3-runs.csv > $O/o$1-$2-s$3.log 2>&1
}
for f in rosenbrock4 levy8 branin styblinskitang10; do run 1 $f 1 5; done
for f in rosenbrock4 levy8 branin styblinskitang10; do run 1 $f 6 15; done
for f in hartmann6 ackley10; do run 1 $f 1 20; done
for f in branin hartmann6 rosenbrock4 levy8 styblinskitang10 ackley10; do run 8 $f 1 20; done
run 1 rastrigin8 1 20
