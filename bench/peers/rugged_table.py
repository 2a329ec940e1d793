"""Merges the quality bench's csv files and cmaes_rugged.py's into one csv and a text table (median [q1–q3] regret per
function, algorithm and evaluation count): `python3 bench/peers/rugged_table.py OUT.csv OUT.txt IN.csv...` (per-seed files among the inputs are skipped)."""

import csv
import sys
from collections import OrderedDict


def main():
    out_csv, out_txt, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    rows = []
    for path in inputs:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            if "median_regret" in (reader.fieldnames or []):  # per-seed files (--runs) are left out
                rows.extend(reader)
    header = ["function", "open", "algorithm", "evaluations", "median_regret", "q1", "q3", "optimizer_s_per_run"]
    with open(out_csv, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    cells = OrderedDict()
    for row in rows:
        key = (row["function"], row["open"], row["algorithm"])
        cells.setdefault(key, {})[int(row["evaluations"])] = f'{float(row["median_regret"]):.3g} [{float(row["q1"]):.3g}–{float(row["q3"]):.3g}]'
    checkpoints = sorted({int(r["evaluations"]) for r in rows})
    lines = ["Median regret [q1–q3] over 20 seeds (docs/gp-rugged.md has the commands).", "",
             "| function | open | algorithm | " + " | ".join(f"regret at {c}" for c in checkpoints) + " |",
             "| --- | --- | --- | " + " | ".join("---" for _ in checkpoints) + " |"]
    for (function, open_, algorithm), values in cells.items():
        lines.append(f"| {function} | {open_} | {algorithm} | " + " | ".join(values.get(c, "") for c in checkpoints) + " |")
    with open(out_txt, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
