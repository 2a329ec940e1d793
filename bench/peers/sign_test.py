"""Per-seed sign test of one algorithm against a baseline in the quality bench's per-seed files (--runs): for each
function, open suggestions and evaluation count that both have, the median [q1–q3] regret of each, the seeds where the
algorithm ended lower (ties left out) and a two-sided binomial p, as a markdown table:
`python3 bench/peers/sign_test.py BASELINE ALGORITHM RUNS.csv...` (an algorithm's seeds may come from several files)."""

import csv
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import binomtest


def fmt(v):
    return f"{v:.2e}".replace("e-0", "e-").replace("e+00", "") if abs(v) < 1e-2 and v != 0 else f"{v:.3g}"


def summary(values):
    q1, median, q3 = np.percentile(values, [25, 50, 75])  # linear, as the bench's quantiles
    return f"{fmt(median)} [{fmt(q1)}–{fmt(q3)}]"


def load(inputs, algorithms):
    """{(function, open, evaluations): {algorithm: {seed: regret}}} from per-seed files."""
    cells = defaultdict(lambda: defaultdict(dict))
    for path in inputs:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row["algorithm"] in algorithms:
                    key = (row["function"], int(row["open"]), int(row["evaluations"]))
                    cells[key][row["algorithm"]][int(row["seed"])] = float(row["regret"])
    return cells


def sign(base, other):
    """Seeds (of those both have) where other ended lower, seeds that differ, and the two-sided sign test's p."""
    seeds = sorted(set(base) & set(other))
    lower = sum(other[s] < base[s] for s in seeds)
    decided = lower + sum(other[s] > base[s] for s in seeds)
    return lower, decided, binomtest(lower, decided).pvalue if decided > 0 else 1.0


def main():
    baseline, algorithm, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    cells = load(inputs, {baseline, algorithm})
    print(f"| function | open | n | {baseline} | {algorithm} | {algorithm} lower in | p |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (function, open_, n), by_algorithm in sorted(cells.items()):
        base, other = by_algorithm.get(baseline, {}), by_algorithm.get(algorithm, {})
        seeds = sorted(set(base) & set(other))
        if not seeds:
            continue
        lower, decided, p = sign(base, other)
        flag = " *" if p < 0.05 else ""
        print(f"| {function} | {open_} | {n} | {summary([base[s] for s in seeds])} | {summary([other[s] for s in seeds])} "
              f"| {lower} of {decided} ({len(seeds)} seeds) | {p:.2g}{flag} |")


if __name__ == "__main__":
    main()
