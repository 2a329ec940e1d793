"""workon runs a study served by serve --checkpoint to its budget, from several clients at once."""

import os
import socket
import tempfile
import threading
import unittest

from serve_process import ServeProcess, write_study

from hpctune import Client, WaitingForTrials


class WorkonTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def serve(self, *options, **changes):
        study_file, study = write_study(self.folder.name, **changes)
        checkpoint = self.folder.name + "/checkpoint"
        server = ServeProcess(checkpoint, "--checkpoint", checkpoint, "--study", str(study_file), *options).start()
        self.addCleanup(server.stop)
        return server, study

    def test_workon_evaluates_to_the_budget_and_stops(self):
        server, study = self.serve(observation_budget=5)
        client = Client(url=server.url, token=server.token)
        seen = []

        def objective(x, n, kind):
            seen.append((x, n, kind))
            return (x - 1.0) ** 2 + n

        self.assertEqual(5, client.workon(objective))
        self.assertEqual(5, len(seen))
        self.assertTrue(client.is_done)
        completed = client.fetch_trials_by_status("completed")
        self.assertEqual(5, len(completed))
        for trial in completed:
            self.assertAlmostEqual((trial.params["x"] - 1.0) ** 2 + trial.params["n"], trial.values["loss"])
            self.assertEqual(client.worker, trial.worker)
            self.assertEqual(socket.gethostname(), trial.metadata["hostname"])
            self.assertEqual(os.getpid(), trial.metadata["pid"])

    def test_max_trials_bounds_one_call(self):
        server, _ = self.serve()
        client = Client(url=server.url, token=server.token)
        self.assertEqual(2, client.workon(lambda **params: 1.0, max_trials=2))
        self.assertEqual(2, client.stats().counts.completed)
        self.assertFalse(client.is_done)

    def test_an_exception_fails_the_trial_with_its_message_and_the_loop_goes_on(self):
        server, _ = self.serve(observation_budget=3, max_failures=10)
        client = Client(url=server.url, token=server.token)
        calls = []

        def objective(x, n, kind):
            calls.append(x)
            if len(calls) == 1:
                raise RuntimeError("out of memory")
            return {"loss": x}

        self.assertEqual(4, client.workon(objective))
        failed = client.fetch_trials_by_status("failed")
        self.assertEqual(1, len(failed))
        self.assertIn("out of memory", failed[0].failure_reason)
        self.assertEqual(3, client.stats().counts.completed)

    def test_an_interrupt_releases_the_trial(self):
        server, _ = self.serve()
        client = Client(url=server.url, token=server.token)

        def objective(**params):
            raise KeyboardInterrupt

        with self.assertRaises(KeyboardInterrupt):
            client.workon(objective)
        self.assertEqual(1, len(client.fetch_trials_by_status("interrupted")))

    def test_four_workers_meet_the_budget_exactly(self):
        server, _ = self.serve(observation_budget=12, parallel_bandwidth=4)
        counts = []

        def work():
            counts.append(Client(url=server.url, token=server.token).workon(lambda x, n, kind: x * n))

        workers = [threading.Thread(target=work) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        self.assertEqual(12, sum(counts))
        stats = Client(url=server.url, token=server.token).stats()
        self.assertEqual(12, stats.counts.completed)
        self.assertEqual(0, stats.counts.open)
        self.assertEqual("done", stats.status)

    def test_heartbeats_keep_the_trial_while_the_objective_runs_past_the_lease(self):
        server, _ = self.serve("--lease", "1", observation_budget=1, parallel_bandwidth=1)
        client = Client(url=server.url, token=server.token)
        other = Client(url=server.url, token=server.token)
        taken = []

        def objective(**params):
            # Three leases long: without heartbeats the trial would go to the other worker meanwhile.
            try:
                taken.append(other.suggest(wait=3))
            except WaitingForTrials:
                pass
            return 1.0

        self.assertEqual(1, client.workon(objective, max_trials=1))
        self.assertEqual([], taken)
        completed = client.fetch_trials_by_status("completed")
        self.assertEqual([client.worker], [t.worker for t in completed])
        self.assertEqual(0, client.stats().counts.interrupted)
