#!/bin/bash
# bench/results/rugged.csv and rugged.txt: every summary (median [q1-q3]) per function, open and algorithm, then the
# coordinate-move schedules side by side with per-seed sign tests against gp (docs/gp-rugged.md).
cd "$(dirname "$0")/.."
P=/usr/bin/python3
$P ../peers/rugged_table.py rugged.csv rugged.txt rugged/{levy8,styblinskitang10,rastrigin8,cmaes-*,suite-*,open8-*}.csv rugged/stalled.csv rugged/paying/o*.csv rugged/backoff/o*.csv > /dev/null
cd rugged
{
  echo
  echo "Schedules against gp, 20 seeds per cell: median regret, then the seeds where the schedule ended lower than gp of those"
  echo "that differ, and a two-sided sign test's p (bold: p < 0.05). stalled = gp:coordinate_moves=8 with coordinate_moves_when=stalled;"
  echo "paying, no back-off = gp-moves-paying-3; paying = gp-moves-backoff-3 (coordinate_moves=8 with the default schedule)."
  echo
  $P ../../peers/schedule_table.py gp gp:coordinate_moves=8=stalled "gp-moves-paying-3=paying, no back-off" gp-moves-backoff-3=paying -- \
    levy8-runs.csv styblinskitang10-runs.csv rastrigin8-runs.csv suite-*-runs.csv open8-*-runs.csv stalled/*-runs.csv paying/o*-runs.csv backoff/o*-runs.csv
} >> ../rugged.txt
