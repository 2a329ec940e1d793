#!/bin/sh
# Per-seed sign tests of the move schedules against gp, per cell (docs/gp-rugged.md); appended to bench/results/rugged.txt.
cd "$(dirname "$0")"
T="/usr/bin/python3 ../../peers/sign_test.py"
G="levy8-runs.csv styblinskitang10-runs.csv rastrigin8-runs.csv suite-*-runs.csv open8-*-runs.csv"
echo; echo "Sign tests against gp, 20 seeds per cell (* p < 0.05): stalled (coordinate_moves=8, coordinate_moves_when=stalled)"; echo
$T gp gp:coordinate_moves=8 $G stalled/*-runs.csv | sed 's/gp:coordinate_moves=8/stalled/g'
echo; echo "paying without back-off (gp-moves-paying-3)"; echo
$T gp gp-moves-paying-3 $G paying/o*-runs.csv | sed 's/gp-moves-paying-3/paying, no back-off/g'
echo; echo "paying (gp-moves-backoff-3 = coordinate_moves=8, coordinate_moves_when=paying)"; echo
$T gp gp-moves-backoff-3 $G backoff/o*-runs.csv | sed 's/gp-moves-backoff-3/paying/g'
