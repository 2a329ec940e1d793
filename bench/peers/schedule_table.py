"""Side by side, per function, open suggestions and evaluation count: the baseline's median [q1–q3] regret and, per
other algorithm, its median with the seeds where it ended lower than the baseline (ties left out) and a two-sided
sign test's p, as a markdown table: `python3 bench/peers/schedule_table.py BASELINE ALGORITHM=LABEL... (split at the last =) -- RUNS.csv...`."""

import sys

from sign_test import fmt, load, sign


def main():
    split = sys.argv.index("--")
    baseline, others, inputs = sys.argv[1], [a.rsplit("=", 1) for a in sys.argv[2:split]], sys.argv[split + 1:]
    cells = load(inputs, {baseline, *(name for name, _ in others)})
    print(f"| function | open | n | {baseline} | " + " | ".join(label for _, label in others) + " |")
    print("| --- | --- | --- | --- | " + " | ".join("---" for _ in others) + " |")
    for (function, open_, n), by_algorithm in sorted(cells.items()):
        base = by_algorithm.get(baseline, {})
        if not base or not all(by_algorithm.get(name) for name, _ in others):
            continue
        row = [function, str(open_), str(n), fmt_median(base)]
        for name, _ in others:
            lower, decided, p = sign(base, by_algorithm[name])
            bold = "**" if p < 0.05 else ""
            row.append(f"{fmt_median(by_algorithm[name])}: {bold}{lower} of {decided}, p = {p:.2g}{bold}")
        print("| " + " | ".join(row) + " |")


def fmt_median(by_seed):
    import numpy as np
    return fmt(float(np.median(list(by_seed.values()))))


if __name__ == "__main__":
    main()
