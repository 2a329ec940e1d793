"""Runs Optuna's samplers on the issue-27 problems (bench/peers/problems.py) through ask/tell, with 1 or k suggestions
kept open (the oldest evaluated and told first), and writes one CSV row per (problem, sampler, open, seed, n):
hypervolume of the first n trials for the two-objective problems; best feasible value and share of feasible
evaluations of the first n trials for the constrained one. Optuna is not part of this repository: --optuna names a
source tree of it (docs/peers.md says how to get one). With --summarize, reads such CSVs and prints median and IQR."""

import argparse
import csv
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import problems as P  # noqa: E402

CONSTRAINED_AT = (25, 50, 100)
FIELDS = ["problem", "sampler", "open", "seed", "n", "metric", "value", "feasible_share", "seconds"]


def make_sampler(optuna, name, seed, constrained):
    constraints = {"constraints_func": constraints_of} if constrained else {}
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed, **constraints)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, **constraints)
    if name == "tpe-mv":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True, **constraints)
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, **constraints)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler '{name}' (gp, tpe, tpe-mv, nsga2, random)")


class _TorchWithCpuContext:
    """Debian 12's torch 1.13 has no `with torch.device(...)` (torch 2.0 added it), which Optuna 4.9's GPSampler uses
    only to keep its tensors on the CPU when another default device is set; here the CPU is the only device, so a
    null context stands in for it and every other attribute is torch's own."""

    def __init__(self, torch):
        self._torch = torch

    def __getattr__(self, name):
        return getattr(self._torch, name)

    def device(self, *args, **kwargs):
        import contextlib
        return contextlib.nullcontext(self._torch.device(*args, **kwargs))


def allow_torch_1(optuna):
    import torch
    if hasattr(torch.device("cpu"), "__enter__"):
        return
    import optuna.samplers._gp.sampler as gp_sampler
    gp_sampler.torch = _TorchWithCpuContext(torch)


def constraints_of(frozen_trial):
    return frozen_trial.user_attrs["constraints"]


def run_one(optuna, problem, sampler_name, seed, open_count, evaluations):
    """Returns the trials' results in trial-number order: a list of objective tuples, plus constraint values."""
    sampler = make_sampler(optuna, sampler_name, seed, problem.constrained)
    directions = ["minimize"] if problem.constrained else ["minimize", "minimize"]
    study = optuna.create_study(directions=directions, sampler=sampler)
    names = [f"x{i}" for i in range(problem.dim)]
    open_trials, asked, results = [], 0, {}

    def ask():
        trial = study.ask()
        x = [trial.suggest_float(n, problem.low, problem.high) for n in names]
        open_trials.append((trial, x))

    while asked < min(open_count, evaluations):
        ask()
        asked += 1
    while open_trials:
        trial, x = open_trials.pop(0)
        value = problem.function(x)
        if problem.constrained:
            objective, constraint = value
            trial.set_user_attr("constraints", [constraint - P.GARDNER_THRESHOLD])
            study.tell(trial, objective)
            results[trial.number] = (objective, constraint)
        else:
            study.tell(trial, list(value))
            results[trial.number] = value
        if asked < evaluations:
            ask()
            asked += 1
    return [results[k] for k in sorted(results)]


def rows_for(problem, sampler, open_count, seed, results, at, seconds):
    rows = []
    if problem.constrained:
        for n in CONSTRAINED_AT:
            if n > len(results):
                continue
            values = [r[0] for r in results[:n]]
            constraints = [r[1] for r in results[:n]]
            share = sum(c <= P.GARDNER_THRESHOLD for c in constraints) / n
            rows.append([problem.name, sampler, open_count, seed, n, "best_feasible",
                         P.best_feasible(values, constraints), share, seconds])
    else:
        for n in at:
            if n > len(results):
                continue
            rows.append([problem.name, sampler, open_count, seed, n, "hypervolume",
                         P.hypervolume_2d(results[:n], problem.reference), "", seconds])
    return rows


def quartiles(values):
    v = np.asarray([x for x in values if not math.isnan(x)], dtype=float)
    if len(v) == 0:
        return math.nan, math.nan, math.nan
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return med, q1, q3


def summarize(csv_paths):
    groups = {}
    for path in csv_paths:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                key = (row["problem"], row["sampler"], int(row["open"]), int(row["n"]), row["metric"])
                groups.setdefault(key, []).append(row)
    lines = [f"{'problem':<14} {'sampler':<7} {'open':>4} {'n':>4} {'metric':<13} {'seeds':>5} "
             f"{'median':>10} {'q1':>10} {'q3':>10} {'feasible%':>9} {'no-feas':>7} {'s/run':>7}"]
    for key in sorted(groups):
        problem, sampler, open_count, n, metric = key
        rows = groups[key]
        values = [float(r["value"]) for r in rows]
        med, q1, q3 = quartiles(values)
        share = (f"{100 * float(np.median([float(r['feasible_share']) for r in rows])):9.1f}"
                 if metric == "best_feasible" else f"{'':>9}")
        infeasible = sum(math.isnan(v) for v in values)
        seconds = float(np.median([float(r["seconds"]) for r in rows]))
        lines.append(f"{problem:<14} {sampler:<7} {open_count:>4} {n:>4} {metric:<13} {len(rows):>5} "
                     f"{med:>10.4f} {q1:>10.4f} {q3:>10.4f} {share} {infeasible:>7} {seconds:>7.1f}")
    return "\n".join(lines)


def parse_ints(text):
    return [int(t) for t in text.split(",") if t]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--optuna", help="an Optuna source tree (the folder holding the 'optuna' package)")
    ap.add_argument("--problems", default="zdt1,dtlz2,branin-currin,gardner")
    ap.add_argument("--samplers", default="gp,tpe,nsga2")
    ap.add_argument("--seeds", type=int, default=20, help="how many seeds, from --first-seed on")
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--open", default="1,8", help="open suggestions, comma-separated")
    ap.add_argument("--at", default="50,100,200", help="evaluation counts for the hypervolume")
    ap.add_argument("--csv", help="per-seed rows go here (appended; the header is written once)")
    ap.add_argument("--summarize", nargs="*", metavar="CSV", help="print median and IQR of these CSVs and exit")
    args = ap.parse_args()

    if args.summarize is not None:
        print(summarize(args.summarize))
        return
    if args.optuna:
        sys.path.insert(0, str(Path(args.optuna).resolve()))
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    if "gp" in args.samplers.split(","):
        allow_torch_1(optuna)
    import warnings
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

    at = parse_ints(args.at)
    out, writer = None, None
    if args.csv:
        new = not Path(args.csv).exists() or Path(args.csv).stat().st_size == 0
        out = open(args.csv, "a", newline="")
        writer = csv.writer(out)
        if new:
            writer.writerow(FIELDS)
    all_rows = []
    for problem_name in args.problems.split(","):
        problem = P.PROBLEMS.get(problem_name)
        if problem is None:
            raise SystemExit(f"unknown problem '{problem_name}' ({', '.join(P.PROBLEMS)})")
        evaluations = max(CONSTRAINED_AT) if problem.constrained else max(at)
        for sampler in args.samplers.split(","):
            for open_count in parse_ints(args.open):
                for seed in range(args.first_seed, args.first_seed + args.seeds):
                    start = time.perf_counter()
                    results = run_one(optuna, problem, sampler, seed, open_count, evaluations)
                    seconds = round(time.perf_counter() - start, 2)
                    rows = rows_for(problem, sampler, open_count, seed, results, at, seconds)
                    all_rows.extend(rows)
                    if writer:
                        writer.writerows(rows)
                        out.flush()
                    print(f"{problem.name} {sampler} open={open_count} seed={seed}: "
                          + ", ".join(f"n={r[4]} {r[6]:.4f}" for r in rows) + f" ({seconds}s)", flush=True)
    if out:
        out.close()
        print(summarize([args.csv]))


if __name__ == "__main__":
    main()
