#!/usr/bin/python3
"""Random search, ASHA and PBT on a real training job at equal total epochs (docs/training-benchmarks.md).

The job: bench/training/digits_mlp.py, a 32-unit MLP on scikit-learn's digits, one epoch per step, tuning the
learning rate and the L2 penalty. For every seed, three studies run through the published CLI:
  random  random search, every trial EPOCHS epochs (TRIALS trials);
  asha    random search with ASHA early stopping (min_steps 1, reduction_factor 3, max_steps EPOCHS), run until
          it has spent at least random search's epochs, then cut there;
  pbt     population based training, TRIALS members, generations of STEPS epochs, EPOCHS epochs per member.
Epochs are counted from the export: every report is one epoch trained. Accuracy is validation accuracy, the best
of any report within the epoch budget. "to reach" is the epochs spent, counting every trial's reports in the
order the master journaled them, when a report first reached random search's best of the same seed.

Needs /usr/bin/python3 with python3-sklearn and the published CLI (bash .ci/build, or .ci/publish-cli).
Example: /usr/bin/python3 bench/training-benchmark.py --seeds 20 --output bench/results/training-digits.txt
"""
import argparse
import datetime
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OBJECTIVE = os.path.join(TOP, "bench", "training", "digits_mlp.py")
ZYGOTE = os.path.join(TOP, "bench", "training", "zygote.py")
PYTHON = "/usr/bin/python3"
PARAMETERS = [
    {"name": "learning_rate", "type": "double", "bounds": {"min": 1e-4, "max": 1.0}, "transformation": "log"},
    {"name": "alpha", "type": "double", "bounds": {"min": 1e-6, "max": 1.0}, "transformation": "log"},
]
METHODS = ("random", "asha", "pbt")


def arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    p.add_argument("--seeds", type=int, default=20, help="seeds 1..N (default 20)")
    p.add_argument("--first-seed", type=int, default=1)
    p.add_argument("--trials", type=int, default=16, help="random search's trials and PBT's population (default 16)")
    p.add_argument("--epochs", type=int, default=27, help="epochs of a full trial, ASHA's max_steps (default 27)")
    p.add_argument("--steps-per-generation", type=int, default=3, help="PBT (default 3; must divide --epochs)")
    p.add_argument("--workers", type=int, default=2, help="local worker threads of every study (default 2)")
    p.add_argument("--methods", default=",".join(METHODS), help="a comma-separated subset of random,asha,pbt")
    p.add_argument("--asha-trials", type=int, default=0,
                   help="ASHA's observation budget (default: 12 × --trials, which spends more than random search's epochs)")
    p.add_argument("--no-zygote", action="store_true", help="every trial imports scikit-learn itself (slow)")
    p.add_argument("--output", help="also write the table here, after the command that produced it")
    p.add_argument("--keep", help="keep the studies' checkpoints under this folder")
    a = p.parse_args()
    methods = a.methods.split(",")
    for m in methods:
        if m not in METHODS:
            p.error(f"--methods: unknown method {m!r}; the methods are {', '.join(METHODS)}")
    if "random" not in methods:
        p.error("--methods must include random: the others are measured against it")
    if a.seeds < 1 or a.trials < 2 or a.epochs < 1 or a.workers < 1:
        p.error("--seeds, --workers and --epochs must be at least 1, --trials at least 2")
    if a.epochs % a.steps_per_generation != 0:
        p.error(f"--steps-per-generation {a.steps_per_generation} must divide --epochs {a.epochs}")
    a.methods = methods
    a.asha_trials = a.asha_trials or 12 * a.trials
    return a


def study(args, method, seed):
    base = {"parameters": PARAMETERS, "metrics": [{"name": "accuracy", "objective": "maximize"}],
            "parallel_bandwidth": args.workers, "max_failures": 3}
    common = [PYTHON, OBJECTIVE, "--learning-rate", "{learning_rate}", "--alpha", "{alpha}", "--seed", "{trial_id}"]
    if method == "random":
        definition = dict(base, name=f"digits-random-{seed}", observation_budget=args.trials,
                          algorithm={"name": "random", "seed": seed})
        command = common + ["--epochs", str(args.epochs)]
    elif method == "asha":
        definition = dict(base, name=f"digits-asha-{seed}", observation_budget=args.asha_trials,
                          algorithm={"name": "random", "seed": seed},
                          early_stopping={"name": "asha", "min_steps": 1, "max_steps": args.epochs, "reduction_factor": 3})
        command = common + ["--epochs", str(args.epochs)]
    else:
        generations = args.epochs // args.steps_per_generation
        definition = dict(base, name=f"digits-pbt-{seed}", observation_budget=args.trials * generations,
                          algorithm={"name": "pbt", "seed": seed, "population_size": args.trials,
                                     "steps_per_generation": args.steps_per_generation, "generations": generations,
                                     "quantile": 0.25, "resample_probability": 0.25, "perturbation_factors": [0.8, 1.2]})
        command = common + ["--checkpoint-dir", "{checkpoint_dir}", "--parent-checkpoint-dir", "{parent_checkpoint_dir}",
                            "--start-step", "{start_step}", "--end-step", "{end_step}"]
    return definition, command


def run_study(args, cli, folder, method, seed, env):
    definition, command = study(args, method, seed)
    path = os.path.join(folder, f"{method}-{seed}.json")
    with open(path, "w") as f:
        json.dump(definition, f)
    checkpoint = os.path.join(folder, f"{method}-{seed}")
    epoch_log = os.path.join(folder, f"{method}-{seed}.epochs")
    started = time.monotonic()
    run = subprocess.run(cli + ["run", "--study", path, "--checkpoint", checkpoint, "--workers", str(args.workers),
                                "--command"] + command, env=dict(env, HPCTUNE_BENCH_EPOCH_LOG=epoch_log),
                         capture_output=True, text=True)
    wall = time.monotonic() - started
    if run.returncode != 0:
        raise SystemExit(f"{method} seed {seed}: the run exited {run.returncode}:\n{run.stderr[-3000:]}")
    export = subprocess.run(cli + ["export", "--checkpoint", checkpoint, "--format", "json"], capture_output=True, text=True)
    if export.returncode != 0:
        raise SystemExit(f"{method} seed {seed}: export exited {export.returncode}:\n{export.stderr[-2000:]}")
    with open(epoch_log) as f:
        trained = sum(1 for _ in f)
    return json.loads(export.stdout), wall, trained


def at(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def progress(trials):
    """Every report as (journal time, accuracy), in journal order: one epoch each."""
    reports = [(at(r["time"]), r["values"]["accuracy"]) for t in trials for r in t.get("reports", [])
               if "accuracy" in r.get("values", {})]
    reports.sort(key=lambda r: r[0])
    return [accuracy for _, accuracy in reports]


def measure(accuracies, cap=None, target=None):
    """Best accuracy and epochs within cap epochs; epochs when target was first reached (None: never)."""
    spent = accuracies[:cap] if cap is not None else accuracies
    reached = None
    if target is not None:
        reached = next((i + 1 for i, a in enumerate(spent) if a >= target), None)
    return {"best": max(spent, default=float("nan")), "epochs": len(spent), "reached": reached}


def main():
    args = arguments()
    cli = ["dotnet", os.environ.get("HPCTUNE_DLL", os.path.join(TOP, "artifacts", "publish", "HpcTune", "HpcTune.dll"))]
    if not os.path.exists(cli[1]):
        raise SystemExit(f"{cli[1]} does not exist: build first (bash .ci/build)")
    folder = args.keep or tempfile.mkdtemp(prefix="hpctune-training-")
    os.makedirs(folder, exist_ok=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    zygote = None
    if not args.no_zygote:
        socket_path = os.path.join(folder, "zygote.sock")
        if os.path.exists(socket_path):
            os.unlink(socket_path)
        zygote = subprocess.Popen([PYTHON, ZYGOTE, socket_path], stdout=subprocess.PIPE, text=True, env=env)
        if "ready" not in zygote.stdout.readline():
            raise SystemExit("the zygote did not start")
        env["HPCTUNE_BENCH_ZYGOTE"] = socket_path
    rows = []
    try:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            row = {"seed": seed}
            results = {}
            for method in args.methods:
                trials, wall, trained = run_study(args, cli, folder, method, seed, env)
                results[method] = (progress(trials), len(trials), wall, trained)
            if not results["random"][0]:
                raise SystemExit(f"seed {seed}: random search's export holds no reports (does this CLI read HPCTUNE_REPORT?)")
            baseline = measure(results["random"][0])
            row["random"] = dict(baseline, reached=results["random"][0].index(baseline["best"]) + 1,
                                 trials=results["random"][1], wall=results["random"][2], total=len(results["random"][0]),
                                 trained=results["random"][3])
            for method in [m for m in args.methods if m != "random"]:
                accuracies, count, wall, trained = results[method]
                row[method] = dict(measure(accuracies, baseline["epochs"], baseline["best"]), trials=count, wall=wall,
                                   total=len(accuracies), trained=trained)
            rows.append(row)
            print(line(row, args.methods), flush=True)
            if args.output:  # after every seed: a run cut short keeps the seeds it finished
                write(args.output, table(rows, args), len(rows) < args.seeds)
    finally:
        if zygote is not None:
            zygote.terminate()
            zygote.wait()
    print(table(rows, args))


def write(path, text, partial):
    temporary = f"{path}.tmp"
    with open(temporary, "w") as f:
        f.write("$ /usr/bin/python3 bench/training-benchmark.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]) + "\n")
        f.write(f"# {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
                f"{git_commit()}, {os.cpu_count()} CPUs{', cut short: only the seeds below finished' if partial else ''}\n")
        f.write(text + "\n")
    os.replace(temporary, path)


def git_commit():
    try:
        return "commit " + subprocess.run(["git", "-C", TOP, "rev-parse", "--short", "HEAD"], capture_output=True,
                                          text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"


COLUMNS = f"{'best':>6} {'epochs':>6} {'reach':>6} {'trials':>6} {'wall s':>6}"


def cell(m):
    reached = "-" if m["reached"] is None else str(m["reached"])
    return f"{m['best']:.4f} {m['epochs']:>6} {reached:>6} {m['trials']:>6} {m['wall']:>6.0f}"


def line(row, methods):
    return f"{row['seed']:>4}  " + "  |  ".join(cell(row[m]) for m in methods)


def table(rows, args):
    methods = args.methods
    out = [f"digits MLP, learning rate and L2 penalty; random search {args.trials} trials × {args.epochs} epochs; "
           f"ASHA min_steps 1, reduction_factor 3, max_steps {args.epochs}, cut at random search's epochs; "
           f"PBT population {args.trials}, {args.epochs // args.steps_per_generation} generations × "
           f"{args.steps_per_generation} epochs; {args.workers} workers",
           "per method: best validation accuracy, epochs spent, epochs when it first reached random search's best "
           "(random: its own best; -: not within the epochs spent), trials, wall seconds",
           "      " + "  |  ".join(f"{m:^{len(COLUMNS)}}" for m in methods),
           "seed  " + "  |  ".join(COLUMNS for _ in methods)]
    out += [line(r, methods) for r in rows]
    out.append("")
    budget = rows[0]["random"]["epochs"]
    for m in methods:
        best = [r[m]["best"] for r in rows]
        reached = [r[m]["reached"] for r in rows]
        got = [x for x in reached if x is not None]
        summary = (f"{m:>6}: best accuracy median {statistics.median(best):.4f}, mean {statistics.mean(best):.4f} "
                   f"(min {min(best):.4f}, max {max(best):.4f}); epochs median {statistics.median(r[m]['epochs'] for r in rows):.0f}")
        if m != "random":
            third = sum(1 for x in got if 3 * x <= budget)
            summary += (f"; reached random search's best in {len(got)}/{len(rows)} seeds, "
                        f"within a third of its {budget} epochs in {third}/{len(rows)}")
            # The median over every seed, one that never reached it counted as never: the target's measure.
            ordered = sorted(got) + [None] * (len(rows) - len(got))
            middle = ordered[(len(ordered) - 1) // 2] if len(ordered) % 2 else (
                None if ordered[len(ordered) // 2] is None else (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2)
            summary += (f"; epochs to reach it, median over all seeds {'never' if middle is None else f'{middle:.0f}'}"
                        f" (a third of random search's: {budget / 3:.0f})")
            wins = sum(1 for r in rows if r[m]["best"] >= r["random"]["best"])
            summary += f"; best ≥ random's in {wins}/{len(rows)}"
        reported = sum(r[m]["total"] for r in rows)
        trained = sum(r[m]["trained"] for r in rows)
        summary += (f"; over whole runs {trained} epochs trained, {reported} reported"
                    + (f" ({trained - reported} trained after the last journaled report: stopped trials)" if trained != reported else ""))
        out.append(summary.replace("; ", ";\n        ", 1))
    return "\n".join(out)


if __name__ == "__main__":
    main()
