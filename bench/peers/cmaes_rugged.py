"""CMA-ES (CyberAgentAILab/cmaes, kept outside the repository) on the rugged functions of docs/gp-rugged.md: best
value (regret) at 50/100/200 evaluations over seeds, rows shaped like the quality bench's csv.

    /usr/bin/python3 bench/peers/cmaes_rugged.py --cmaes /work/peers/cmaes --seeds 20 --csv out.csv

CMA-ES starts at the centre of the box with sigma = (upper - lower) / 4 (--sigma-fraction), the box as its bounds,
its default population 4 + floor(3 ln d); a generation cut by the budget still counts its evaluations."""

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rugged  # noqa: E402


def run(function, dimension, lower, upper, budget, seed, sigma_fraction):
    from cmaes import CMA
    bounds = np.array([[lower, upper]] * dimension)
    optimizer = CMA(mean=np.full(dimension, (lower + upper) / 2.0), sigma=(upper - lower) * sigma_fraction,
                    bounds=bounds, seed=seed)
    best, trajectory = float("inf"), []
    while len(trajectory) < budget:
        solutions = []
        for _ in range(optimizer.population_size):
            x = optimizer.ask()
            value = function(list(x))
            solutions.append((x, value))
            if len(trajectory) < budget:
                best = min(best, value)
                trajectory.append(best)
        optimizer.tell(solutions)
    return trajectory


def quartiles(values):
    q1, median, q3 = np.percentile(values, [25, 50, 75])  # linear interpolation, as the C# bench's
    return median, q1, q3


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cmaes", required=True, help="a folder holding the cmaes package (outside the repository)")
    parser.add_argument("--functions", default="levy8,rastrigin8,styblinskitang10")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--at", default="50,100,200")
    parser.add_argument("--sigma-fraction", type=float, default=0.25)
    parser.add_argument("--csv", default="cmaes-rugged.csv")
    args = parser.parse_args()
    sys.path.insert(0, args.cmaes)
    checkpoints = [int(c) for c in args.at.split(",")]
    name = f"cmaes-s{args.sigma_fraction:g}"
    rows = []
    for function_name in args.functions.split(","):
        function, dimension, lower, upper, minimum = rugged.FUNCTIONS[function_name]
        regrets = {c: [] for c in checkpoints}
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            trajectory = run(function, dimension, lower, upper, args.budget, seed, args.sigma_fraction)
            for c in checkpoints:
                regrets[c].append(trajectory[c - 1] - minimum)
        for c in checkpoints:
            median, q1, q3 = quartiles(regrets[c])
            rows.append([function_name, 1, name, c, f"{median:.4g}", f"{q1:.4g}", f"{q3:.4g}", ""])
    with open(args.csv, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["function", "open", "algorithm", "evaluations", "median_regret", "q1", "q3", "optimizer_s_per_run"])
        writer.writerows(rows)
    for row in rows:
        print(",".join(str(v) for v in row))


if __name__ == "__main__":
    main()
