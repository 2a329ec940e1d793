#!/usr/bin/python3
"""A command objective that trains: a small MLP on scikit-learn's digits, one epoch per step.

Hyperparameters: --learning-rate (SGD with momentum, constant rate) and --alpha (L2 penalty). After every epoch it
prints `HPCTUNE_REPORT {"step": N, "accuracy": A}` (validation accuracy), and at the end the result line
`{"accuracy": A}` (docs/training-benchmarks.md; CONTRACTS §2 and §6).

Without PBT placeholders it trains --epochs epochs from scratch. With them (population based training) it trains the
steps --start-step+1 .. --end-step, starting from --parent-checkpoint-dir/model.pkl when that is given (empty in
generation 0), and writes --checkpoint-dir/model.pkl atomically (a temporary file, then a rename). The pickle holds
the model with its optimizer and random state, so a member continued from a checkpoint trains exactly as if it had
not stopped; only the hyperparameters change (PBT's explore).

Run by Debian's /usr/bin/python3 with python3-sklearn. When HPCTUNE_BENCH_ZYGOTE names the socket of a running
`zygote.py` (bench/training-benchmark.py starts one), the training runs in a process forked from it, which has
scikit-learn imported already; otherwise, or when no zygote answers, it runs here.
"""
import argparse
import json
import math
import os
import sys

VALIDATION_FRACTION = 0.25
SPLIT_SEED = 0  # the train/validation split is the same for every trial
HIDDEN_UNITS = 32
BATCH_SIZE = 64
MODEL_FILE = "model.pkl"


class UsageError(Exception):
    """A bad argument or checkpoint: printed as one line naming the problem, exit status 2."""


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    p.add_argument("--learning-rate", required=True, help="SGD's learning_rate_init (> 0)")
    p.add_argument("--alpha", required=True, help="L2 penalty (>= 0)")
    p.add_argument("--epochs", default="27", help="epochs from scratch when no PBT step range is given (default 27)")
    p.add_argument("--seed", default="0", help="the model's initialization and shuffling seed (an integer)")
    p.add_argument("--checkpoint-dir", default="", help="PBT: write model.pkl here ({checkpoint_dir})")
    p.add_argument("--parent-checkpoint-dir", default="", help="PBT: read model.pkl from here ({parent_checkpoint_dir}; empty: start fresh)")
    p.add_argument("--start-step", default="", help="PBT: steps already trained ({start_step})")
    p.add_argument("--end-step", default="", help="PBT: train until this step ({end_step})")
    a = p.parse_args(argv)
    lr = positive_float("--learning-rate", a.learning_rate)
    alpha = number("--alpha", a.alpha)
    if alpha < 0:
        raise UsageError(f"--alpha must be >= 0, got {a.alpha!r}")
    seed = integer("--seed", a.seed)
    if (a.start_step == "") != (a.end_step == ""):
        raise UsageError("--start-step and --end-step go together: give both or neither")
    if a.start_step == "":
        start, end = 0, integer("--epochs", a.epochs)
        if end < 1:
            raise UsageError(f"--epochs must be at least 1, got {a.epochs!r}")
    else:
        start, end = integer("--start-step", a.start_step), integer("--end-step", a.end_step)
        if start < 0 or end <= start:
            raise UsageError(f"the step range must have 0 <= --start-step < --end-step, got {start}..{end}")
    if start > 0 and a.parent_checkpoint_dir == "":
        raise UsageError(f"--start-step is {start} but no --parent-checkpoint-dir holds the model trained so far")
    if a.parent_checkpoint_dir and not os.path.isfile(os.path.join(a.parent_checkpoint_dir, MODEL_FILE)):
        raise UsageError(f"the parent checkpoint {os.path.join(a.parent_checkpoint_dir, MODEL_FILE)} does not exist")
    return dict(lr=lr, alpha=alpha, seed=seed, start=start, end=end,
                checkpoint_dir=a.checkpoint_dir or None, parent=a.parent_checkpoint_dir or None)


def number(flag, text):
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{flag} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise UsageError(f"{flag} must be finite, got {text!r}")
    return value


def positive_float(flag, text):
    value = number(flag, text)
    if value <= 0:
        raise UsageError(f"{flag} must be > 0, got {text!r}")
    return value


def integer(flag, text):
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{flag} must be an integer, got {text!r}") from None


def load_data():
    """The digits, scaled to [0, 1], split once and for all into train and validation sets."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    return train_test_split(x / 16.0, y, test_size=VALIDATION_FRACTION, random_state=SPLIT_SEED, stratify=y)


def new_model(lr, alpha, seed):
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(HIDDEN_UNITS,), solver="sgd", learning_rate="constant", momentum=0.9,
                         learning_rate_init=lr, alpha=alpha, batch_size=BATCH_SIZE, random_state=seed)


def load_checkpoint(folder, start, lr, alpha):
    import pickle

    path = os.path.join(folder, MODEL_FILE)
    try:
        with open(path, "rb") as f:
            saved = pickle.load(f)
    except FileNotFoundError:
        raise UsageError(f"the parent checkpoint {path} does not exist") from None
    except Exception as e:  # a truncated or foreign file
        raise UsageError(f"the parent checkpoint {path} cannot be read: {e}") from None
    if not isinstance(saved, dict) or "model" not in saved or "step" not in saved:
        raise UsageError(f"the parent checkpoint {path} is not a digits_mlp checkpoint")
    if saved["step"] != start:
        raise UsageError(f"the parent checkpoint {path} holds step {saved['step']}, but --start-step is {start}")
    model = saved["model"]
    # Explore: the continued model trains on with this trial's hyperparameters. MLPClassifier keeps its optimizer
    # between partial_fit calls, and the optimizer holds its own copy of the learning rate.
    model.learning_rate_init = lr
    model.alpha = alpha
    optimizer = getattr(model, "_optimizer", None)
    if optimizer is not None:
        optimizer.learning_rate_init = lr
        optimizer.learning_rate = lr
    return model


def save_checkpoint(folder, model, step):
    import pickle

    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, MODEL_FILE)
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "wb") as f:
        pickle.dump({"model": model, "step": step}, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def log_epoch(step):
    """Appends "TRIAL STEP" to $HPCTUNE_BENCH_EPOCH_LOG, if set: the benchmark counts every epoch trained with it,
    also one a stopped trial finished after its last report reached the tuner."""
    path = os.environ.get("HPCTUNE_BENCH_EPOCH_LOG")
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{os.environ.get('HPCTUNE_TRIAL_ID', '?')} {step}\n".encode())
        finally:
            os.close(fd)


def train(settings, data, out=sys.stdout):
    """Trains settings['start']+1 .. settings['end'], reporting after every epoch; returns the last accuracy."""
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning

    x_train, x_valid, y_train, y_valid = data
    if settings["parent"]:
        model = load_checkpoint(settings["parent"], settings["start"], settings["lr"], settings["alpha"])
    else:
        model = new_model(settings["lr"], settings["alpha"], settings["seed"])
    classes = np.unique(y_train)
    accuracy = float("nan")
    for step in range(settings["start"] + 1, settings["end"] + 1):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            # A large learning rate overflows: that trial's accuracy is poor, which is the point of tuning it.
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            model.partial_fit(x_train, y_train, classes=classes)
            accuracy = float(model.score(x_valid, y_valid))
        if not math.isfinite(accuracy):
            accuracy = 0.0
        print("HPCTUNE_REPORT " + json.dumps({"step": step, "accuracy": accuracy}), file=out, flush=True)
        log_epoch(step)
    if settings["checkpoint_dir"]:
        save_checkpoint(settings["checkpoint_dir"], model, settings["end"])
    print(json.dumps({"accuracy": accuracy}), file=out, flush=True)
    return accuracy


def main(argv):
    try:
        settings = parse(argv)
        socket_path = os.environ.get("HPCTUNE_BENCH_ZYGOTE")
        if socket_path:
            import zygote

            status = zygote.run_in_zygote(socket_path, argv)
            if status is not None:
                return status
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # a 32-unit model: threads only cost here
        train(settings, load_data())
        return 0
    except UsageError as e:
        print(f"digits_mlp.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
