"""SigOpt's "Run in Parallel" example, with only its import changed: a controller creates the experiment with
parallel_bandwidth set to the number of workers and starts them; every worker runs the optimization loop on the
experiment id and tags its suggestions and observations with its hostname.

    python3 sigopt_parallel.py controller NUM_WORKERS BUDGET     # prints the experiment id
    python3 sigopt_parallel.py worker EXPERIMENT_ID

The server and its token come from HPCTUNE_URL and HPCTUNE_TOKEN.
"""

import math
import os
import socket
import subprocess
import sys

from hpctune.sigopt import Connection  # was: from sigopt import Connection


def evaluate_metric(assignments):
    """A cheap stand-in for training a model: best at x = 0.3, y = 0.7, with the rbf kernel."""
    penalty = 0.0 if assignments["kernel"] == "rbf" else 0.1
    return math.exp(-((assignments["x"] - 0.3) ** 2 + (assignments["y"] - 0.7) ** 2)) - penalty


def run_command_on_machine(machine_number, command):
    """The docs log into machine N and run the command there; here each worker is a local process."""
    return subprocess.Popen(command, env=dict(os.environ, WORKER_NUMBER=str(machine_number)))


def controller(api_token, num_workers=1, observation_budget=20):
    conn = Connection(client_token=api_token)
    experiment = conn.experiments().create(
        name="Parallel classifier",
        parameters=[
            dict(name="x", type="double", bounds=dict(min=0.0, max=1.0)),
            dict(name="y", type="double", bounds=dict(min=0.0, max=1.0)),
            dict(name="kernel", type="categorical", categorical_values=[dict(name="rbf"), dict(name="poly")]),
        ],
        metrics=[dict(name="accuracy", objective="maximize")],
        observation_budget=observation_budget,
        parallel_bandwidth=num_workers,
    )
    workers = [run_command_on_machine(n, [sys.executable, __file__, "worker", experiment.id])
               for n in range(num_workers)]
    exit_codes = [worker.wait() for worker in workers]
    # Suggestions a worker left open (it died) would otherwise wait for their lease to expire.
    conn.experiments(experiment.id).suggestions().delete(state="open")
    return experiment.id, exit_codes


def worker(api_token, experiment_id):
    conn = Connection(client_token=api_token)
    experiment = conn.experiments(experiment_id).fetch()
    while experiment.progress.observation_count < experiment.observation_budget:
        suggestion = conn.experiments(experiment_id).suggestions().create(
            metadata=dict(hostname=socket.gethostname()),
        )
        value = evaluate_metric(suggestion.assignments)
        conn.experiments(experiment_id).observations().create(
            suggestion=suggestion.id,
            value=value,
            metadata=dict(hostname=socket.gethostname()),
        )
        experiment = conn.experiments(experiment_id).fetch()


if __name__ == "__main__":
    token = os.environ.get("HPCTUNE_TOKEN")
    if sys.argv[1] == "controller":
        print(controller(token, int(sys.argv[2]), int(sys.argv[3]))[0])
    else:
        worker(token, sys.argv[2])
