"""Intermediate reports over HTTP/JSON: the served study's early stopping rule stops a Python worker's trial; a
population's trials carry their lineage and checkpoint directories."""

import os
import tempfile
import unittest
from pathlib import Path

from serve_process import ServeProcess, write_study

from hpctune import Client, TrialStopped

# median with min_trials 1: a trial whose best loss at a step is worse than the median of the others there stops.
MEDIAN = {"name": "median", "min_trials": 1}


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def serve(self, **changes):
        study_file, study = write_study(self.folder.name, **changes)
        checkpoint = self.folder.name + "/checkpoint"
        server = ServeProcess(checkpoint, "--checkpoint", checkpoint, "--study", str(study_file)).start()
        self.addCleanup(server.stop)
        return server, study

    def test_early_stopping_stops_a_worse_trial_and_workon_moves_on(self):
        # One at a time, and a loss that grows with the trial's id: trial 1 has nobody to compare with and completes;
        # every later one is worse than the median of those before it at step 1 and is stopped there.
        server, _ = self.serve(observation_budget=4, parallel_bandwidth=1, early_stopping=MEDIAN)
        client = Client(url=server.url, token=server.token)
        answers = {}

        def objective(x, n, kind, run):
            for step in (1, 2, 3):
                answer = run.report(step, {"loss": float(run.id)})
                answers.setdefault(run.id, []).append((step, answer.stop, answer.recorded))
                if answer.stop:
                    self.assertIn("median", answer.reason)
                    raise TrialStopped()
            return float(run.id)

        self.assertEqual(4, client.workon(objective, trial_arg="run"))
        self.assertEqual({1: [(1, False, True), (2, False, True), (3, False, True)],
                          2: [(1, True, True)], 3: [(1, True, True)], 4: [(1, True, True)]}, answers)
        trials = {t.id: t for t in client.fetch_trials()}
        self.assertEqual(["completed", "pruned", "pruned", "pruned"], [trials[i].state for i in (1, 2, 3, 4)])
        self.assertEqual([1, 2, 3], [r.step for r in trials[1].reports])
        for pruned in (2, 3, 4):
            self.assertEqual({"loss": float(pruned)}, trials[pruned].values)  # the last report's values
            self.assertIn("median", trials[pruned].reason)
        self.assertEqual(3, client.stats().counts.pruned)
        self.assertTrue(client.is_done)

    def test_report_answers_and_a_late_result_for_a_pruned_trial_is_acknowledged(self):
        server, _ = self.serve(observation_budget=3, parallel_bandwidth=2, early_stopping=MEDIAN)
        first, second = (Client(url=server.url, token=server.token, worker=name) for name in ("first", "second"))
        good, bad = first.suggest(), second.suggest()
        self.assertFalse(first.report(good, 1, {"loss": 0.5}).stop)
        repeated = first.report(good, 1, {"loss": 0.5})  # a retried report: not recorded again, the trial goes on
        self.assertEqual((False, False), (repeated.stop, repeated.recorded))
        stopped = second.report(bad, 1, {"loss": 9.0})
        self.assertTrue(stopped.stop)
        self.assertTrue(stopped.recorded)
        self.assertIn("median", stopped.reason)
        late = second.observe(bad, value=9.0)  # sent before the worker saw the stop: no error
        self.assertEqual((False, True), (late.recorded, late.pruned))
        self.assertEqual("pruned", late.trial.state)
        after = second.report(bad, 2, {"loss": 8.0})
        self.assertEqual((True, False), (after.stop, after.recorded))

    def test_a_report_naming_no_metric_of_the_study_is_refused(self):
        server, _ = self.serve(early_stopping=MEDIAN)
        client = Client(url=server.url, token=server.token)
        trial = client.suggest()
        with self.assertRaisesRegex(Exception, "not a metric of this study"):
            client.report(trial, 1, {"accuracy": 0.5})

    def test_a_population_s_trials_carry_lineage_and_continue_from_the_parent_s_checkpoint(self):
        pbt = {"name": "pbt", "seed": 3, "population_size": 2, "steps_per_generation": 2, "generations": 2}
        server, _ = self.serve(observation_budget=4, parallel_bandwidth=2, algorithm=pbt)
        client = Client(url=server.url, token=server.token)
        seen = {}

        def train(x, n, kind, run):
            weights = Path(run.checkpoint_dir) / "weights"
            found = weights.read_text(encoding="utf-8") if weights.exists() else None
            seen[run.id] = (run.lineage, run.checkpoint_dir, run.parent_checkpoint_dir, found)
            weights.write_text(str(run.id), encoding="utf-8")
            self.assertFalse(run.report(run.lineage.end_step, {"loss": x * x}).stop)
            return x * x

        self.assertEqual(4, client.workon(train, trial_arg="run"))
        checkpoint = os.path.realpath(server.folder)
        for id, (lineage, directory, parent_directory, found) in seen.items():
            self.assertTrue(os.path.isabs(directory))
            self.assertEqual(os.path.join(checkpoint, lineage.checkpoint_dir), os.path.realpath(directory))
            self.assertEqual((lineage.generation * 2, lineage.generation * 2 + 2), (lineage.start_step, lineage.end_step))
            if lineage.generation == 0:
                self.assertEqual((None, None, None), (lineage.parent_trial_id, parent_directory, found))
            else:
                self.assertEqual(seen[lineage.parent_trial_id][1], parent_directory)
                self.assertEqual(str(lineage.parent_trial_id), found)  # the parent's file, copied in before train ran
        self.assertEqual([0, 0, 1, 1], sorted(lineage.generation for lineage, _, _, _ in seen.values()))
        self.assertEqual(seen[4][0].member, client.get_trial(4).lineage.member)
