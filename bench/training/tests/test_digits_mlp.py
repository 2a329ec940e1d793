"""Smoke tests of the training benchmark's command objective (bench/training/digits_mlp.py) and its fork server:
reports and the result line, a checkpoint round trip that trains exactly as an uninterrupted run, bad input, and
the zygote path (same output, SIGTERM reaches the training). Real processes under Debian's /usr/bin/python3."""

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
OBJECTIVE = str(HERE / "digits_mlp.py")
ZYGOTE = str(HERE / "zygote.py")
PYTHON = "/usr/bin/python3"
CLI = os.environ.get("HPCTUNE_DLL", str(HERE.parent.parent / "artifacts" / "publish" / "HpcTune" / "HpcTune.dll"))


def run(*args, env=None, cwd=None):
    environment = dict(os.environ)
    environment.pop("HPCTUNE_BENCH_ZYGOTE", None)
    environment.update(env or {})
    return subprocess.run([PYTHON, OBJECTIVE, *args], capture_output=True, text=True, env=environment, cwd=cwd,
                          timeout=60)


def reports(stdout):
    prefix = "HPCTUNE_REPORT "
    return [json.loads(line[len(prefix):]) for line in stdout.splitlines() if line.startswith(prefix)]


def reaches_end(fd, seconds):
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if select.select([fd], [], [], left)[0] and not os.read(fd, 1 << 16):
            return True
    return False


def result(stdout):
    return json.loads([line for line in stdout.splitlines() if line.strip()][-1])


class DigitsMlpTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="digits-mlp-test-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def test_reports_every_epoch_then_the_result(self):
        out = run("--learning-rate", "0.1", "--alpha", "1e-4", "--epochs", "2")
        self.assertEqual(out.returncode, 0, out.stderr)
        steps = reports(out.stdout)
        self.assertEqual([r["step"] for r in steps], [1, 2])
        self.assertEqual(result(out.stdout), {"accuracy": steps[-1]["accuracy"]})
        self.assertGreater(steps[-1]["accuracy"], 0.5)  # ten classes: chance is 0.1

    def test_a_resumed_checkpoint_trains_as_an_uninterrupted_run(self):
        straight = run("--learning-rate", "0.1", "--alpha", "1e-4", "--epochs", "3", "--seed", "7")
        first = os.path.join(self.folder, "g0")
        second = os.path.join(self.folder, "g1")
        begin = run("--learning-rate", "0.1", "--alpha", "1e-4", "--seed", "7", "--checkpoint-dir", first,
                    "--parent-checkpoint-dir", "", "--start-step", "0", "--end-step", "2")
        self.assertEqual(begin.returncode, 0, begin.stderr)
        self.assertEqual(os.listdir(first), ["model.pkl"])  # no temporary file left behind
        resumed = run("--learning-rate", "0.1", "--alpha", "1e-4", "--seed", "99", "--checkpoint-dir", second,
                      "--parent-checkpoint-dir", first, "--start-step", "2", "--end-step", "3")
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertEqual([r["step"] for r in reports(resumed.stdout)], [3])
        # The seed of a continued member is the checkpoint's: only the hyperparameters may change.
        self.assertEqual(reports(begin.stdout) + reports(resumed.stdout), reports(straight.stdout))
        self.assertTrue(os.path.exists(os.path.join(second, "model.pkl")))

    def test_bad_input_is_named(self):
        cases = [
            (["--learning-rate", "0", "--alpha", "0"], "--learning-rate must be > 0"),
            (["--learning-rate", "0.1", "--alpha", "x"], "--alpha must be a number"),
            (["--learning-rate", "0.1", "--alpha", "0", "--start-step", "2", "--end-step", "3"],
             "no --parent-checkpoint-dir"),
            (["--learning-rate", "0.1", "--alpha", "0", "--start-step", "0", "--end-step", "3",
              "--parent-checkpoint-dir", self.folder], "does not exist"),
            (["--learning-rate", "0.1", "--alpha", "0", "--start-step", "3", "--end-step", "3"], "--start-step < --end-step"),
        ]
        for args, message in cases:
            out = run(*args)
            self.assertEqual(out.returncode, 2, args)
            self.assertIn(message, out.stderr, args)


class ZygoteTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="digits-zygote-test-")
        cls.socket = os.path.join(cls.folder, "z.sock")
        cls.zygote = subprocess.Popen([PYTHON, ZYGOTE, cls.socket], stdout=subprocess.PIPE, text=True)
        ready = cls.zygote.stdout.readline()
        if "ready" not in ready:
            cls.zygote.kill()
            raise RuntimeError(f"the zygote did not start: {ready!r}")

    @classmethod
    def tearDownClass(cls):
        cls.zygote.terminate()
        cls.zygote.wait(timeout=30)
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_a_trial_through_the_zygote_prints_what_it_would_print_alone(self):
        alone = run("--learning-rate", "0.05", "--alpha", "1e-3", "--epochs", "2", "--seed", "3")
        forked = run("--learning-rate", "0.05", "--alpha", "1e-3", "--epochs", "2", "--seed", "3",
                     env={"HPCTUNE_BENCH_ZYGOTE": self.socket}, cwd=self.folder)
        self.assertEqual(forked.returncode, 0, forked.stderr)
        self.assertEqual(forked.stdout, alone.stdout)

    def test_a_bad_checkpoint_fails_with_status_2_through_the_zygote(self):
        parent = os.path.join(self.folder, "torn")
        os.makedirs(parent, exist_ok=True)
        with open(os.path.join(parent, "model.pkl"), "wb") as f:
            f.write(b"\x80\x05not a whole pickle")  # read in the zygote's child, not before
        out = run("--learning-rate", "0.1", "--alpha", "0", "--start-step", "1", "--end-step", "2",
                  "--parent-checkpoint-dir", "torn", env={"HPCTUNE_BENCH_ZYGOTE": self.socket}, cwd=self.folder)
        self.assertEqual(out.returncode, 2)
        self.assertIn("torn/model.pkl cannot be read", out.stderr)

    def test_sigterm_reaches_the_training(self):
        environment = dict(os.environ, HPCTUNE_BENCH_ZYGOTE=self.socket)
        trial = subprocess.Popen([PYTHON, OBJECTIVE, "--learning-rate", "0.1", "--alpha", "0", "--epochs", "100000"],
                                 stdout=subprocess.PIPE, text=True, env=environment)
        self.assertTrue(trial.stdout.readline().startswith("HPCTUNE_REPORT "))  # it trains in the zygote's child
        trial.send_signal(signal.SIGTERM)
        self.assertEqual(trial.wait(timeout=30), 128 + signal.SIGTERM)
        # The child holds the pipe: it reaches its end only once the training process is gone.
        self.assertTrue(reaches_end(trial.stdout.fileno(), 30), "the training process outlived SIGTERM")
        trial.stdout.close()

    def test_without_a_zygote_it_trains_in_process(self):
        out = run("--learning-rate", "0.1", "--alpha", "0", "--epochs", "1",
                  env={"HPCTUNE_BENCH_ZYGOTE": os.path.join(self.folder, "nobody.sock")})
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(len(reports(out.stdout)), 1)


@unittest.skipUnless(os.path.exists(CLI), f"the published CLI {CLI} is not built (bash .ci/build)")
class ThroughTheCliTests(unittest.TestCase):
    """digits_mlp.py as HpcTune runs it: reports journaled, PBT's checkpoints handed from generation to generation.
    Its trials run through a zygote, as in the benchmark (one import of scikit-learn instead of one per trial)."""

    @classmethod
    def setUpClass(cls):
        cls.zygote_folder = tempfile.mkdtemp(prefix="digits-cli-zygote-")
        cls.socket = os.path.join(cls.zygote_folder, "z.sock")
        cls.zygote = subprocess.Popen([PYTHON, ZYGOTE, cls.socket], stdout=subprocess.PIPE, text=True)
        ready = cls.zygote.stdout.readline()
        if "ready" not in ready:
            cls.zygote.kill()
            raise RuntimeError(f"the zygote did not start: {ready!r}")

    @classmethod
    def tearDownClass(cls):
        cls.zygote.terminate()
        cls.zygote.wait(timeout=30)
        shutil.rmtree(cls.zygote_folder, ignore_errors=True)

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="digits-cli-test-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def run_study(self, definition, *command):
        study = os.path.join(self.folder, "study.json")
        with open(study, "w") as f:
            json.dump(dict({"name": "digits", "metrics": [{"name": "accuracy", "objective": "maximize"}],
                            "parameters": [
                                {"name": "lr", "type": "double", "bounds": {"min": 0.01, "max": 0.5}, "transformation": "log"},
                                {"name": "alpha", "type": "double", "bounds": {"min": 1e-6, "max": 1e-2}, "transformation": "log"}]},
                           **definition), f)
        checkpoint = os.path.join(self.folder, "ckpt")
        environment = dict(os.environ, HPCTUNE_BENCH_ZYGOTE=self.socket)
        run = subprocess.run(["dotnet", CLI, "run", "--study", study, "--checkpoint", checkpoint, "--workers", "2",
                              "--command", PYTHON, OBJECTIVE, "--learning-rate", "{lr}", "--alpha", "{alpha}", *command],
                             capture_output=True, text=True, env=environment, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        export = subprocess.run(["dotnet", CLI, "export", "--checkpoint", checkpoint, "--format", "json"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(export.returncode, 0, export.stderr)
        self.checkpoint = checkpoint
        return json.loads(export.stdout)

    def test_pbt_continues_every_member_from_its_parents_checkpoint(self):
        trials = self.run_study(
            {"observation_budget": 4, "parallel_bandwidth": 2,
             "algorithm": {"name": "pbt", "seed": 1, "population_size": 2, "steps_per_generation": 1, "generations": 2}},
            "--seed", "{trial_id}", "--checkpoint-dir", "{checkpoint_dir}", "--parent-checkpoint-dir",
            "{parent_checkpoint_dir}", "--start-step", "{start_step}", "--end-step", "{end_step}")
        self.assertEqual(sorted(t["state"] for t in trials), ["completed"] * 4)
        by_id = {t["id"]: t for t in trials}
        for t in trials:
            generation = t["lineage"]["generation"]
            self.assertEqual([r["step"] for r in t["reports"]], [generation + 1], t)
            self.assertEqual(t["values"]["accuracy"], t["reports"][-1]["values"]["accuracy"])
            if generation == 1:  # the last: its checkpoints are kept (earlier ones may go once nobody reads them)
                # checkpoint_dir is relative to the study's checkpoint folder, or absolute (join keeps an absolute one).
                folder = os.path.join(self.checkpoint, t["lineage"]["checkpoint_dir"])
                self.assertTrue(os.path.isfile(os.path.join(folder, "model.pkl")), t)
                self.assertEqual(by_id[t["lineage"]["parent"]]["lineage"]["generation"], 0)

    def test_asha_stops_trials_at_a_rung(self):
        trials = self.run_study(
            {"observation_budget": 6, "parallel_bandwidth": 2, "algorithm": {"name": "random", "seed": 1},
             "early_stopping": {"name": "asha", "min_steps": 1, "max_steps": 3, "reduction_factor": 3}},
            "--epochs", "3")
        states = [t["state"] for t in trials]
        self.assertEqual(len(trials), 6)
        self.assertIn("pruned", states)
        for t in trials:
            steps = [r["step"] for r in t["reports"]]
            self.assertEqual(steps, list(range(1, len(steps) + 1)), t)
            if t["state"] == "completed":
                self.assertEqual(steps, [1, 2, 3], t)


if __name__ == "__main__":
    unittest.main()
