"""Joins the quality bench's per-seed files (--runs) of one algorithm run in chunks of seeds (--first-seed) into one
summary csv like the bench's --csv (median and quartiles per function, open suggestions and evaluation count), the
algorithm renamed: `python3 bench/peers/merge_runs.py OUT.csv NAME RUNS.csv...`."""

import csv
import sys
from collections import defaultdict

import numpy as np


def main():
    out_csv, name, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    cells = defaultdict(dict)
    for path in inputs:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                cells[(row["function"], row["open"], int(row["evaluations"]))][int(row["seed"])] = float(row["regret"])
    with open(out_csv, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["function", "open", "algorithm", "evaluations", "median_regret", "q1", "q3", "optimizer_s_per_run"])
        for (function, open_, evaluations), by_seed in sorted(cells.items()):
            q1, median, q3 = np.percentile(list(by_seed.values()), [25, 50, 75])  # linear, as the bench's quantiles
            writer.writerow([function, open_, name, evaluations, f"{median:.4g}", f"{q1:.4g}", f"{q3:.4g}", ""])  # every cell has the 20 seeds of the chunks joined


if __name__ == "__main__":
    main()
